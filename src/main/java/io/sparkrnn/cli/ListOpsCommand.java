package io.sparkrnn.cli;

import io.sparkrnn.data.ListOps;
import io.sparkrnn.data.Tree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "listops", mixinStandardHelpOptions = true,
    description = {"Write the ListOps task (Nangia and Bowman 2018) as train.txt, valid.txt and test.txt: one",
        "labelled expression per line (7<TAB>[MAX 2 7 [MIN 4 7 ] 0 ]), distinct across the splits, balanced over",
        "the 10 values, the same files for the same seed."})
final class ListOpsCommand implements Callable<Integer> {
  @Option(names = "--out", required = true, description = "the folder to write")
  Path out;

  @Option(names = "--train", defaultValue = "90000")
  int train;

  @Option(names = "--valid", defaultValue = "10000")
  int valid;

  @Option(names = "--test", defaultValue = "10000")
  int test;

  @Option(names = "--seed", defaultValue = "1")
  long seed;

  @Override
  public Integer call() throws Exception {
    if (train < 1 || valid < 0 || test < 0) {
      throw new IllegalArgumentException("--train must be positive and --valid, --test not negative");
    }
    Files.createDirectories(out);
    List<List<Tree>> splits = ListOps.generate(seed, train, valid, test);
    String[] names = {"train.txt", "valid.txt", "test.txt"};
    for (int i = 0; i < names.length; i++) {
      Files.write(out.resolve(names[i]), splits.get(i).stream().map(ListOps::line).toList());
    }
    System.out.printf("ListOps: %,d / %,d / %,d expressions (seed %d) in %s%n", train, valid, test, seed, out);
    return 0;
  }
}
