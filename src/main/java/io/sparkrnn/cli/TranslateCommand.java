package io.sparkrnn.cli;

import io.sparkrnn.data.Corpus;
import io.sparkrnn.infer.Translator;
import io.sparkrnn.train.Checkpoint;
import io.sparkrnn.train.Config;
import io.sparkrnn.train.Seq2SeqConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "translate", mixinStandardHelpOptions = true,
    description = {"Translate with an encoder-decoder run (model.family=seq2seq): the SENTENCE arguments, else each",
        "line of --file, else of standard input; one translation per line, in order."})
final class TranslateCommand implements Callable<Integer> {
  @Mixin
  RunOption run;

  @Option(names = "--beam", description = "beam width, 1 for greedy decoding (default: the run's seq2seq.beam)")
  Integer beam;

  @Option(names = "--alpha", description = "beam length normalisation, log p / length^alpha (default: the run's"
      + " seq2seq.lengthPenalty)")
  Double alpha;

  @Option(names = "--file", description = "a file of sentences, one per line")
  Path file;

  @Option(names = "--scores", description = "print the model's log p and the beam's score before each translation")
  boolean scores;

  @Parameters(paramLabel = "SENTENCE", arity = "0..*", description = "sentences to translate (quote each one)")
  String[] sentences = new String[0];

  @Override
  public Integer call() throws Exception {
    Checkpoint ck = run.checkpoint();
    Translator translator = Translator.of(ck);
    Seq2SeqConfig s = Seq2SeqConfig.from(Config.parse(ck.config()));
    int width = beam != null ? beam : s.beam();
    double a = alpha != null ? alpha : s.lengthPenalty();
    List<String> input = sentences.length > 0 ? Arrays.asList(sentences) : file != null ? Corpus.lines(file)
        : new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).lines().toList();
    List<Translator.Translation> out = width == 1 ? translator.greedy(input) : translator.translate(input, width, a);
    for (Translator.Translation t : out) {
      System.out.println(scores ? String.format("%.4f\t%.4f\t%s", t.logProb(), t.score(a), translator.text(t))
          : translator.text(t));
    }
    return 0;
  }
}
