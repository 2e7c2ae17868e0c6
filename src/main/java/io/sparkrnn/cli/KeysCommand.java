package io.sparkrnn.cli;

import io.sparkrnn.train.Config;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "keys", mixinStandardHelpOptions = true, description = "List every config key, its default and meaning.")
final class KeysCommand implements Callable<Integer> {
  @Option(names = "--markdown", description = "as the README's table")
  boolean markdown;

  @Override
  public Integer call() {
    if (markdown) {
      System.out.println("| key | default | meaning |\n|---|---|---|");
    }
    int name = Config.KEYS.stream().mapToInt(k -> k.name().length()).max().orElse(0);
    int value = Config.KEYS.stream().mapToInt(k -> Math.max(7, k.value().length())).max().orElse(0);
    for (Config.Key k : Config.KEYS) {
      if (markdown) {
        System.out.printf("| `%s` | %s | %s |%n", k.name(), k.value().isEmpty() ? "(empty)" : "`" + k.value() + "`",
            k.doc().replace("</s>", "`</s>`").replace("<unk>", "`<unk>`"));
      } else {
        System.out.printf("%-" + name + "s  %-" + value + "s  %s%n", k.name(), k.value().isEmpty() ? "(empty)"
            : k.value(), k.doc());
      }
    }
    return 0;
  }
}
