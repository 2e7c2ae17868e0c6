package io.sparkrnn.cli;

import io.sparkrnn.spark.TextEvaluation;
import io.sparkrnn.train.Checkpoint;
import io.sparkrnn.train.Config;
import io.sparkrnn.train.TrainConfig;
import io.sparkrnn.train.TreeCard;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = {"Perplexity of text files under a trained model (exp of the mean NLL per predicted token,",
        "</s> counted). Settings such as spark.master, eval.batch or train.bptt may follow as key=value.",
        "A tree classifier (model.family=tree): accuracy of files of labelled trees, by depth, by length and",
        "by class (a confusion matrix)."})
final class EvaluateCommand implements Callable<Integer> {
  @Mixin
  RunOption run;

  @Option(names = "--debug", description = "print stack traces")
  boolean debug;

  @Parameters(paramLabel = "FILE|key=value", arity = "1..*", description = "text files (any Hadoop path) and settings")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    Main.debug = debug;
    List<String> files = new ArrayList<>();
    List<String> settings = new ArrayList<>();
    for (String a : args) {
      (a.contains("=") && !a.contains("/") ? settings : files).add(a);
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("name at least one text file to evaluate");
    }
    Checkpoint ck = run.checkpoint();
    if (ck.model() instanceof TreeCard card) {
      if (!settings.isEmpty()) {
        throw new IllegalArgumentException("settings such as " + settings.get(0) + " do not apply to a tree"
            + " classifier's evaluation; name the files of labelled trees only");
      }
      TreeCommands.evaluate(ck, card, files);
      return 0;
    }
    TrainConfig cfg = TrainConfig.from(Config.parse(ck.config()).with(overrides(settings), "command line"));
    System.out.printf("%-40s %12s %10s %12s%n", "file", "tokens", "unknown", "perplexity");
    for (TextEvaluation.Row r : TextEvaluation.run(cfg, ck, files)) {
      System.out.printf("%-40s %,12d %,10d %12.2f%n", r.file(), r.tokens(), r.unknown(), r.perplexity());
    }
    return 0;
  }

  private static java.util.Map<String, String> overrides(List<String> settings) {
    java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
    for (String s : settings) {
      m.put(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
    }
    return m;
  }
}
