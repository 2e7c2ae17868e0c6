package io.sparkrnn.cli;

import io.sparkrnn.train.Config;
import io.sparkrnn.spark.SparkTraining;
import io.sparkrnn.train.LocalTraining;
import io.sparkrnn.train.TrainConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "train", mixinStandardHelpOptions = true,
    description = {"Train a word-level language model.",
        "Settings come from the config file, then key=value arguments; 'spark-rnn keys' lists them."})
final class TrainCommand implements Callable<Integer> {
  @Option(names = {"-c", "--conf"}, description = "a .properties config file, e.g. conf/brown-lstm.properties")
  Path conf;

  @Option(names = "--debug", description = "print stack traces")
  boolean debug;

  @Parameters(paramLabel = "key=value", description = "settings that override the config file")
  List<String> overrides = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    Main.debug = debug;
    Config config = Config.load(conf, overrides);
    if (TrainConfig.from(config).inProcess()) {
      LocalTraining.run(config);
    } else {
      SparkTraining.run(config);
    }
    return 0;
  }
}
