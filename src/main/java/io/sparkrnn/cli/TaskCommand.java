package io.sparkrnn.cli;

import io.sparkrnn.tasks.BinaryAddition;
import io.sparkrnn.tasks.Digits;
import io.sparkrnn.tasks.SineWave;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "task", mixinStandardHelpOptions = true,
    description = "Run a course exercise: addition (8-bit binary addition), sine (next-value regression) or digits"
        + " (8x8 digits, many-to-one by rows).")
final class TaskCommand implements Callable<Integer> {
  @Parameters(paramLabel = "NAME", description = "addition, sine or digits")
  String name;

  @Option(names = "--hidden", description = "hidden size (default: 16 for addition and sine, 64 for digits)")
  Integer hidden;

  @Option(names = "--seed", defaultValue = "1")
  long seed;

  @Option(names = "--digits", defaultValue = "data/digits/digits.csv", description = "the digits CSV")
  Path digits;

  @Override
  public Integer call() throws Exception {
    long t0 = System.nanoTime();
    String result = switch (name) {
      case "addition" -> String.format("held-out pairs summed exactly: %.1f%%",
          100 * BinaryAddition.run(hidden == null ? 16 : hidden, 1500, seed));
      case "sine" -> String.format("test MSE (second half of each window): %.2e",
          SineWave.run(hidden == null ? 16 : hidden, 1500, seed));
      case "digits" -> String.format("held-out accuracy: %.1f%%",
          100 * Digits.run(digits, hidden == null ? 64 : hidden, 40, seed));
      default -> throw new IllegalArgumentException("task must be addition, sine or digits, not '" + name + "'");
    };
    System.out.printf("%s: %s (%.1f s)%n", name, result, (System.nanoTime() - t0) / 1e9);
    return 0;
  }
}
