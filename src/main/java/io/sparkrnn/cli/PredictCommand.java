package io.sparkrnn.cli;

import io.sparkrnn.infer.Predictor;
import io.sparkrnn.train.Checkpoint;
import io.sparkrnn.train.TreeCard;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "predict", mixinStandardHelpOptions = true,
    description = {"The k most likely next words after each prefix, with their probabilities.",
        "Prefixes come from the arguments, or one per line from standard input. A tree classifier",
        "(model.family=tree) gives the class of each bracketed tree instead, with its probability."})
final class PredictCommand implements Callable<Integer> {
  @Mixin
  RunOption run;

  @Option(names = {"-k", "--top"}, defaultValue = "5", description = "how many words (default ${DEFAULT-VALUE})")
  int k;

  @Parameters(paramLabel = "PREFIX", description = "a prefix such as \"the jury said\"")
  List<String> prefixes = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    if (k < 1) {
      throw new IllegalArgumentException("--top must be at least 1, not " + k);
    }
    Checkpoint ck = run.checkpoint();
    if (ck.model() instanceof TreeCard card) {
      TreeCommands.predict(ck, card, prefixes.isEmpty() ? new BufferedReader(new InputStreamReader(System.in,
          StandardCharsets.UTF_8)).lines().filter(l -> !l.isBlank()).toList() : prefixes);
      return 0;
    }
    Predictor model = Predictor.of(ck);
    if (prefixes.isEmpty()) {
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        answer(model, line);
      }
    } else {
      for (String p : prefixes) {
        answer(model, p);
      }
    }
    return 0;
  }

  private void answer(Predictor model, String prefix) {
    float[] lp = model.start(prefix).logProbs();
    StringBuilder b = new StringBuilder(prefix.strip()).append("\t→");
    for (int id : Predictor.topK(lp, k)) {
      b.append(String.format(" %s %.3f", model.vocab().word(id), Math.exp(lp[id])));
    }
    System.out.println(b);
  }
}
