package io.sparkrnn.cli;

import io.sparkrnn.data.Corpus;
import io.sparkrnn.data.Tree;
import io.sparkrnn.data.TreeReader;
import io.sparkrnn.infer.TreeEvaluation;
import io.sparkrnn.train.Checkpoint;
import io.sparkrnn.train.TreeCard;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What {@code evaluate} and {@code predict} print for a tree classifier. */
final class TreeCommands {
  private static final int BATCH = 256;

  private TreeCommands() {}

  /** Accuracy of each file of labelled trees, by depth and by length, and its confusion matrix. */
  static void evaluate(Checkpoint ck, TreeCard card, List<String> files) throws IOException {
    for (String file : files) {
      List<Tree> trees = TreeReader.parse(Corpus.lines(Path.of(file)), file);
      TreeEvaluation.Report r = TreeEvaluation.report(card, ck.params(), trees, file, BATCH);
      System.out.printf("%s: accuracy %.2f %% (%,d of %,d trees)%n", file, 100 * r.accuracy(), r.correct(),
          r.total());
      table("depth", r.byDepth());
      table("tokens", r.byLength());
      System.out.println("confusion matrix (rows: label, columns: predicted):");
      StringBuilder head = new StringBuilder("      ");
      for (int k = 0; k < r.confusion().length; k++) {
        head.append(String.format(" %6d", k));
      }
      System.out.println(head);
      for (int label = 0; label < r.confusion().length; label++) {
        StringBuilder row = new StringBuilder(String.format("%6d", label));
        for (long n : r.confusion()[label]) {
          row.append(String.format(" %6d", n));
        }
        System.out.println(row);
      }
    }
  }

  private static void table(String by, Map<?, long[]> rows) {
    System.out.printf("  %-10s %8s %9s%n", by, "trees", "accuracy");
    rows.forEach((k, v) -> System.out.printf("  %-10s %,8d %8.2f %%%n", k, v[1], 100.0 * v[0] / v[1]));
  }

  /** The class of each expression (a label before a tab is ignored) with its probability. */
  static void predict(Checkpoint ck, TreeCard card, List<String> lines) {
    List<Tree> trees = new java.util.ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      trees.add(TreeReader.parse(lines.get(i), i + 1, "the input"));
    }
    List<TreeEvaluation.Prediction> out = TreeEvaluation.classify(card, ck.params(), trees, BATCH);
    for (int i = 0; i < trees.size(); i++) {
      System.out.printf("%s\t→ %d %.3f%n", trees.get(i), out.get(i).label(), out.get(i).probability());
    }
  }
}
