package io.sparkrnn.cli;

import io.sparkrnn.train.Config;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "keys", mixinStandardHelpOptions = true, description = "List every config key, its default and meaning.")
final class KeysCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    for (Config.Key k : Config.KEYS) {
      System.out.printf("%-18s %-22s %s%n", k.name(), k.value().isEmpty() ? "(empty)" : k.value(), k.doc());
    }
    return 0;
  }
}
