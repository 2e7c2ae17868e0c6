package io.sparkrnn.infer;

import io.sparkrnn.data.Tree;
import io.sparkrnn.data.TreeBatches;
import io.sparkrnn.data.TreeIds;
import io.sparkrnn.nn.TreeNet;
import io.sparkrnn.nn.TreeSchedule;
import io.sparkrnn.nn.TreeSpec;
import io.sparkrnn.train.RunExtras;
import io.sparkrnn.train.TreeCard;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A tree classifier on a set of trees: the class of each root with its probability, and the accuracy overall, by
 * class (a confusion matrix), by depth (the height of the tree as read: lists nested in lists for ListOps) and by
 * length in tokens.
 */
public final class TreeEvaluation {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TreeEvaluation.class);
  /** Length buckets in tokens: up to 10, 20, 50, 100, 200, 500, more. */
  private static final int[] LENGTHS = {10, 20, 50, 100, 200, 500};

  private TreeEvaluation() {}

  /** The class of a root and its probability. */
  public record Prediction(int label, double probability) {}

  /** Each tree's class, in batches of {@code batch} trees. */
  public static List<Prediction> classify(TreeCard card, float[] params, List<Tree> trees, int batch) {
    TreeNet model = new TreeNet(card.spec());
    Function<Tree, TreeIds> encode = card.encoder(true);
    int c = card.spec().classes();
    List<Prediction> out = new ArrayList<>(trees.size());
    for (int from = 0; from < trees.size(); from += batch) {
      List<TreeIds> ids = trees.subList(from, Math.min(trees.size(), from + batch)).stream().map(encode).toList();
      float[] logits = model.rootLogits(params, TreeSchedule.of(ids));
      int[] classes = TreeNet.argmax(logits, ids.size(), c);
      for (int t = 0; t < ids.size(); t++) {
        int best = classes[t];
        double z = 0;
        for (int k = 0; k < c; k++) {
          z += Math.exp(logits[t * c + k] - logits[t * c + best]);
        }
        out.add(new Prediction(best, 1 / z));
      }
    }
    return out;
  }

  /** Accuracy overall and by class, depth and length; {@code confusion[label][predicted]}. */
  public record Report(long correct, long total, long[][] confusion, Map<Integer, long[]> byDepth,
      Map<String, long[]> byLength) {
    public double accuracy() {
      return (double) correct / total;
    }
  }

  /** The report on {@code trees}, read from {@code source} (for messages). */
  public static Report report(TreeCard card, float[] params, List<Tree> trees, String source, int batch) {
    for (int i = 0; i < trees.size(); i++) {
      if (trees.get(i).label() < 0 || trees.get(i).label() >= card.spec().classes()) {
        throw new IllegalArgumentException("tree " + (i + 1) + " of " + source + " has no label at its root among"
            + " the model's " + card.spec().classes() + " classes: " + trees.get(i));
      }
    }
    List<Prediction> predicted = classify(card, params, trees, batch);
    int c = card.spec().classes();
    long[][] confusion = new long[c][c];
    Map<Integer, long[]> byDepth = new TreeMap<>();
    Map<String, long[]> byLength = new java.util.LinkedHashMap<>();
    for (int i = 0; i <= LENGTHS.length; i++) {
      byLength.put(bucket(i), new long[2]);
    }
    long correct = 0;
    for (int i = 0; i < trees.size(); i++) {
      Tree t = trees.get(i);
      int hit = predicted.get(i).label() == t.label() ? 1 : 0;
      correct += hit;
      confusion[t.label()][predicted.get(i).label()]++;
      add(byDepth.computeIfAbsent(t.height(), d -> new long[2]), hit);
      int len = t.tokens().size();
      int b = 0;
      while (b < LENGTHS.length && len > LENGTHS[b]) {
        b++;
      }
      add(byLength.get(bucket(b)), hit);
    }
    byLength.values().removeIf(v -> v[1] == 0);
    return new Report(correct, trees.size(), confusion, byDepth, byLength);
  }

  private static String bucket(int i) {
    return i == LENGTHS.length ? ">" + LENGTHS[i - 1] : (i == 0 ? 1 : LENGTHS[i - 1] + 1) + "-" + LENGTHS[i];
  }

  private static void add(long[] hitsAndTotal, int hit) {
    hitsAndTotal[0] += hit;
    hitsAndTotal[1]++;
  }

  /** {@code <split>_accuracy} at every evaluation of the driver loop, from the split's batches. */
  public static final class Extras implements RunExtras {
    private final TreeNet model;
    private final Map<String, TreeBatches> splits;

    public Extras(TreeSpec spec, Map<String, TreeBatches> splits) {
      this.model = new TreeNet(spec);
      this.splits = splits;
    }

    @Override
    public Map<String, Object> evaluate(float[] params, String split, boolean last) {
      TreeBatches data = splits.get(split);
      if (data == null) {
        return Map.of();
      }
      long hits = 0;
      for (int b = 0; b < data.batches(); b++) {
        List<TreeIds> trees = data.lanes(b, 0, data.lanes());
        int[] predicted = model.predict(params, TreeSchedule.of(trees));
        for (int t = 0; t < predicted.length; t++) {
          int[] labels = trees.get(t).labels();
          hits += predicted[t] == labels[labels.length - 1] ? 1 : 0;
        }
      }
      LOG.info(String.format("%s accuracy %.2f %% (%,d of %,d trees)", split, 100.0 * hits / data.trees(), hits,
          data.trees()));
      return Map.of(split + "_accuracy", (double) hits / data.trees());
    }

    @Override
    public String report(float[] params) {
      return "";
    }
  }
}
