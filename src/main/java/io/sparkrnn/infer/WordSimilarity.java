package io.sparkrnn.infer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Word similarity: how well the cosine of two words' vectors ranks word pairs the way a reference score does,
 * as Spearman's rank correlation (ties share their mean rank), the measure of WordSim-353 and SimLex-999 and of
 * gensim's evaluate_word_pairs. Pairs with a word the vectors do not know are skipped and counted.
 */
public final class WordSimilarity {
  /** Spearman's ρ over the pairs both of whose words are known, and the pairs used and skipped. */
  public record Score(double spearman, int pairs, int skipped) {}

  private WordSimilarity() {}

  /**
   * Lines "word1 TAB word2 TAB score" ('#' starts a comment line; blank lines are skipped), words looked up as
   * given, then in lower case.
   */
  public static Score evaluate(WordVectors vectors, List<String> lines) {
    List<double[]> pairs = new ArrayList<>(); // (reference, cosine)
    int skipped = 0;
    for (String line : lines) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.strip().split("\t");
      if (f.length != 3) {
        throw new IllegalArgumentException("a similarity pair is \"word1<TAB>word2<TAB>score\", not '" + line + "'");
      }
      int a = vectors.lookup(f[0]);
      int b = vectors.lookup(f[1]);
      if (a < 2 || b < 2) {
        skipped++;
        continue;
      }
      pairs.add(new double[] {Double.parseDouble(f[2]), vectors.cosine(a, b)});
    }
    double[] x = ranks(pairs, 0);
    double[] y = ranks(pairs, 1);
    return new Score(pearson(x, y), pairs.size(), skipped);
  }

  /** The rank of every pair's value {@code at}, 1-based, ties at their mean rank. */
  static double[] ranks(List<double[]> pairs, int at) {
    Integer[] order = new Integer[pairs.size()];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (i, j) -> Double.compare(pairs.get(i)[at], pairs.get(j)[at]));
    double[] rank = new double[order.length];
    for (int i = 0; i < order.length;) {
      int j = i;
      while (j + 1 < order.length && pairs.get(order[j + 1])[at] == pairs.get(order[i])[at]) {
        j++;
      }
      for (int k = i; k <= j; k++) {
        rank[order[k]] = (i + j) / 2.0 + 1;
      }
      i = j + 1;
    }
    return rank;
  }

  static double pearson(double[] x, double[] y) {
    int n = x.length;
    if (n < 2) {
      return Double.NaN;
    }
    double mx = Arrays.stream(x).average().orElse(0);
    double my = Arrays.stream(y).average().orElse(0);
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < n; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
    return sxy / Math.sqrt(sxx * syy);
  }
}
