package io.sparkrnn.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Corpus chrF (Popović 2015) as sacreBLEU computes it by default: character n-grams of orders 1 to 6 with all
 * whitespace removed, counts summed over the corpus, precision and recall averaged over the orders that occur in
 * both sides, then the F-score with recall weighted by beta = 2. It credits a word that is partly right (an
 * inflection, a compound), which BLEU's whole-word n-grams do not.
 */
public final class ChrF {
  private ChrF() {}

  public static final int CHAR_ORDER = 6;
  public static final int BETA = 2;

  /** The score (0 to 100) and the summed {hypothesis, reference, match} counts per order. */
  public record Score(double chrf, long[][] counts) {
    @Override
    public String toString() {
      return String.format("chrF%d = %.2f", BETA, chrf);
    }
  }

  public static Score corpus(List<String> references, List<String> hypotheses) {
    if (references.size() != hypotheses.size()) {
      throw new IllegalArgumentException("the reference has " + references.size() + " lines but the hypothesis "
          + hypotheses.size());
    }
    long[][] counts = new long[CHAR_ORDER][3];
    for (int s = 0; s < references.size(); s++) {
      int[] hyp = characters(hypotheses.get(s));
      int[] ref = characters(references.get(s));
      for (int n = 1; n <= CHAR_ORDER; n++) {
        Map<String, Integer> refGrams = ngrams(ref, n);
        long hypCount = 0;
        long match = 0;
        for (Map.Entry<String, Integer> g : ngrams(hyp, n).entrySet()) {
          hypCount += g.getValue();
          match += Math.min(g.getValue(), refGrams.getOrDefault(g.getKey(), 0));
        }
        // As sacreBLEU: a hypothesis n-gram counts only where the reference has n-grams of that order.
        counts[n - 1][0] += refGrams.isEmpty() ? 0 : hypCount;
        counts[n - 1][1] += Math.max(0, ref.length - n + 1);
        counts[n - 1][2] += match;
      }
    }
    return new Score(score(counts), counts);
  }

  /** The F-score of the averaged precision and recall, over the orders with n-grams on both sides. */
  static double score(long[][] counts) {
    double precision = 0;
    double recall = 0;
    int orders = 0;
    for (long[] c : counts) {
      if (c[0] > 0 && c[1] > 0) {
        precision += (double) c[2] / c[0];
        recall += (double) c[2] / c[1];
        orders++;
      }
    }
    if (orders == 0 || precision + recall == 0) {
      return 0;
    }
    precision /= orders;
    recall /= orders;
    double b2 = BETA * BETA;
    return 100 * (1 + b2) * precision * recall / (b2 * precision + recall);
  }

  /** The line's code points without whitespace (Python's str.split() whitespace: Unicode spaces and separators). */
  static int[] characters(String line) {
    return line.codePoints().filter(c -> !(Character.isWhitespace(c) || Character.isSpaceChar(c) || c == 0x85))
        .toArray();
  }

  private static Map<String, Integer> ngrams(int[] chars, int n) {
    Map<String, Integer> m = new HashMap<>();
    for (int i = 0; i + n <= chars.length; i++) {
      m.merge(new String(chars, i, n), 1, Integer::sum);
    }
    return m;
  }
}
