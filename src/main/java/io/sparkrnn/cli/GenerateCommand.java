package io.sparkrnn.cli;

import io.sparkrnn.infer.Decoder;
import io.sparkrnn.infer.Predictor;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Continue a prefix by greedy decoding, sampling or beam search, until </s> or --max-length words.")
final class GenerateCommand implements Callable<Integer> {
  @Mixin
  RunOption run;

  @Option(names = "--mode", defaultValue = "sample", description = "greedy, sample or beam (default ${DEFAULT-VALUE})")
  String mode;

  @Option(names = "--max-length", defaultValue = "30", description = "most words to add (default ${DEFAULT-VALUE})")
  int maxLength;

  @Option(names = "--temperature", defaultValue = "1.0", description = "sampling temperature (default ${DEFAULT-VALUE})")
  double temperature;

  @Option(names = "--top-k", defaultValue = "0", description = "sample among the k most likely words (0: all)")
  int topK;

  @Option(names = "--beam", defaultValue = "5", description = "beam width (default ${DEFAULT-VALUE})")
  int beam;

  @Option(names = "--alpha", defaultValue = "0.7", description = "beam length normalisation: log p / length^alpha")
  double alpha;

  @Option(names = "--samples", defaultValue = "1", description = "how many samples (seeds seed, seed+1, ...)")
  int samples;

  @Option(names = "--seed", defaultValue = "1")
  long seed;

  @Option(names = "--allow-unk", description = "let <unk> be generated (by default it is never chosen: the other words'"
      + " probabilities are renormalised without it)")
  boolean allowUnknown;

  @Parameters(paramLabel = "PREFIX", arity = "0..*", description = "the words to continue")
  String[] prefix = new String[0];

  @Override
  public Integer call() throws Exception {
    if (maxLength < 1) {
      throw new IllegalArgumentException("--max-length must be at least 1, not " + maxLength);
    }
    Decoder d = new Decoder(Predictor.of(run.checkpoint()), !allowUnknown);
    String p = String.join(" ", prefix);
    switch (mode) {
      case "greedy" -> print(d, p, d.greedy(p, maxLength));
      case "beam" -> print(d, p, d.beam(p, beam, maxLength, alpha));
      case "sample" -> {
        for (int i = 0; i < samples; i++) {
          print(d, p, d.sample(p, maxLength, temperature, topK, seed + i));
        }
      }
      default -> throw new IllegalArgumentException("--mode must be greedy, sample or beam, not '" + mode + "'");
    }
    return 0;
  }

  private static void print(Decoder d, String prefix, Decoder.Sequence s) {
    System.out.printf("%s | %s%s   (log p %.2f)%n", prefix, d.text(s), s.ended() ? " </s>" : " ...", s.logProb());
  }
}
