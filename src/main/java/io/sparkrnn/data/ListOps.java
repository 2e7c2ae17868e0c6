package io.sparkrnn.data;

import io.sparkrnn.math.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The ListOps task (Nangia and Bowman 2018): nested prefix lists over the digits 0-9 with the operators MIN, MAX,
 * MED (the median, rounded down as an integer mean of the middle two) and SM (sum modulo 10); the class is the
 * value of the whole expression.
 *
 * <p>The published recipe: a list has 2 to 5 arguments, drawn one by one; an argument is a list with probability
 * 0.25 and a digit otherwise, and always a digit at depth 20. (Read the other way round, a leaf with probability
 * 0.25, each list would hold 2.6 sublists on average, a branching process that does not die out: nearly every
 * expression would reach depth 20 with millions of digits.) The whole expression is always a list. Examples are
 * distinct across all splits, and every split has n / 10 examples of each value (rounded up for the first ones),
 * drawn by rejection, one stream for every split, so a seed gives the same sets.
 */
public final class ListOps {
  public static final List<String> OPERATORS = List.of("[MIN", "[MAX", "[MED", "[SM");
  public static final int CLASSES = 10;
  static final int MAX_ARGS = 5;
  static final int MAX_DEPTH = 20;
  static final double LIST_P = 0.25;

  private ListOps() {}

  /** One expression, its root at depth 1. */
  public static Tree expression(Rng rng) {
    return list(rng, 1);
  }

  private static Tree list(Rng rng, int depth) {
    String op = OPERATORS.get(rng.nextInt(OPERATORS.size()));
    int n = 2 + rng.nextInt(MAX_ARGS - 1);
    List<Tree> args = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      if (depth + 1 < MAX_DEPTH && rng.nextDouble() < LIST_P) {
        args.add(list(rng, depth + 1));
      } else {
        args.add(Tree.leaf(Integer.toString(rng.nextInt(10)), -1));
      }
    }
    return new Tree(op, "]", -1, args);
  }

  /** The value of an expression. */
  public static int value(Tree t) {
    if (t.isLeaf()) {
      return Integer.parseInt(t.word());
    }
    int[] v = new int[t.children().size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = value(t.children().get(i));
    }
    Arrays.sort(v);
    return switch (t.word()) {
      case "[MIN" -> v[0];
      case "[MAX" -> v[v.length - 1];
      case "[MED" -> v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
      case "[SM" -> Arrays.stream(v).sum() % 10;
      default -> throw new IllegalArgumentException("'" + t.word() + "' is not a ListOps operator");
    };
  }

  /** Labelled expressions for each split size in order (train, valid, test), distinct across all of them. */
  public static List<List<Tree>> generate(long seed, int... sizes) {
    Rng rng = new Rng(seed);
    Set<String> seen = new HashSet<>();
    List<List<Tree>> out = new ArrayList<>();
    for (int size : sizes) {
      int[] quota = new int[CLASSES];
      for (int c = 0; c < CLASSES; c++) {
        quota[c] = size / CLASSES + (c < size % CLASSES ? 1 : 0);
      }
      List<Tree> split = new ArrayList<>(size);
      while (split.size() < size) {
        Tree t = expression(rng);
        int v = value(t);
        if (quota[v] > 0 && seen.add(t.toString())) {
          quota[v]--;
          split.add(t.withLabel(v));
        }
      }
      out.add(split);
    }
    return out;
  }

  /** The line of a labelled expression: {@code 7<TAB>[MAX 2 7 ]}. */
  public static String line(Tree t) {
    return t.label() + "\t" + t;
  }
}
