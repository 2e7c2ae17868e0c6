package io.sparkrnn.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Corpus BLEU (Papineni et al. 2002) as sacreBLEU computes it by default, so that scores compare with published
 * ones: the 13a tokenisation of mteval-v13a, n-grams up to 4, clipped counts summed over the corpus before the
 * precisions are taken, the brevity penalty of the summed lengths, one reference per sentence, and the "exp"
 * smoothing (an order without matches counts as 1/2, 1/4, ... of a match).
 */
public final class Bleu {
  public static final int MAX_ORDER = 4;
  /** mteval's symbols that become tokens of their own: {|}~ [\]^_` space to &amp; (+ * + :;<=>?@ and /. */
  private static final Pattern SYMBOL = Pattern.compile("([{-~\\[-` -&(-+:-@/])");
  private static final Pattern POINT_AFTER = Pattern.compile("([^0-9])([.,])");
  private static final Pattern POINT_BEFORE = Pattern.compile("([.,])([^0-9])");
  private static final Pattern DASH_AFTER_DIGIT = Pattern.compile("([0-9])(-)");

  /** The sufficient statistics of a corpus and its score (0 to 100). */
  public record Score(double bleu, long[] matches, long[] totals, double[] precisions, double brevityPenalty,
      long hypothesisLength, long referenceLength) {
    /** sacreBLEU's one-line form: BLEU = 23.45 60.1/30.2/15.3/8.1 (BP = 1.000 ratio = 1.010 hyp_len = ... ref_len = ...). */
    @Override
    public String toString() {
      StringBuilder p = new StringBuilder();
      for (int n = 0; n < precisions.length; n++) {
        p.append(n > 0 ? "/" : "").append(String.format("%.1f", precisions[n]));
      }
      return String.format("BLEU = %.2f %s (BP = %.3f ratio = %.3f hyp_len = %d ref_len = %d)", bleu, p,
          brevityPenalty, referenceLength == 0 ? 0.0 : (double) hypothesisLength / referenceLength, hypothesisLength,
          referenceLength);
    }
  }

  private Bleu() {}

  /** The 13a tokens of one detokenised line. */
  public static String[] tokenize13a(String line) {
    String s = line.replace("<skipped>", "").replace("-\n", "").replace("\n", " ");
    if (s.indexOf('&') >= 0) {
      s = s.replace("&quot;", "\"").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
    }
    s = " " + s + " ";
    s = SYMBOL.matcher(s).replaceAll(" $1 ");
    s = POINT_AFTER.matcher(s).replaceAll("$1 $2 ");
    s = POINT_BEFORE.matcher(s).replaceAll(" $1 $2");
    s = DASH_AFTER_DIGIT.matcher(s).replaceAll("$1 $2 ");
    return splitOnWhitespace(s);
  }

  /** Split on whitespace as Python's str.split() does (every Unicode space, non-breaking ones too). */
  static String[] splitOnWhitespace(String s) {
    List<String> out = new java.util.ArrayList<>();
    int start = -1;
    for (int i = 0; i <= s.length(); i++) {
      boolean space = i == s.length() || isPythonSpace(s.charAt(i));
      if (space && start >= 0) {
        out.add(s.substring(start, i));
        start = -1;
      } else if (!space && start < 0) {
        start = i;
      }
    }
    return out.toArray(String[]::new);
  }

  private static boolean isPythonSpace(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
  }

  /** Corpus BLEU of hypotheses against references, line i against line i, both detokenised text. */
  public static Score corpus(List<String> references, List<String> hypotheses) {
    if (references.size() != hypotheses.size()) {
      throw new IllegalArgumentException("the reference has " + references.size() + " lines and the hypothesis "
          + hypotheses.size() + "; BLEU needs one hypothesis line per reference line");
    }
    long[] matches = new long[MAX_ORDER];
    long[] totals = new long[MAX_ORDER];
    long hypLen = 0;
    long refLen = 0;
    for (int i = 0; i < references.size(); i++) {
      String[] ref = tokenize13a(references.get(i));
      String[] hyp = tokenize13a(hypotheses.get(i));
      hypLen += hyp.length;
      refLen += ref.length;
      for (int n = 1; n <= MAX_ORDER; n++) {
        Map<String, Integer> refCounts = ngrams(ref, n);
        for (Map.Entry<String, Integer> e : ngrams(hyp, n).entrySet()) {
          matches[n - 1] += Math.min(e.getValue(), refCounts.getOrDefault(e.getKey(), 0));
        }
        totals[n - 1] += Math.max(0, hyp.length - n + 1);
      }
    }
    return score(matches, totals, hypLen, refLen);
  }

  private static Map<String, Integer> ngrams(String[] tokens, int n) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i + n <= tokens.length; i++) {
      counts.merge(String.join(" ", java.util.Arrays.asList(tokens).subList(i, i + n)), 1, Integer::sum);
    }
    return counts;
  }

  /** The score of summed statistics, with the brevity penalty and the "exp" smoothing. */
  static Score score(long[] matches, long[] totals, long hypLen, long refLen) {
    double bp = hypLen >= refLen ? 1.0 : hypLen > 0 ? Math.exp(1 - (double) refLen / hypLen) : 0.0;
    double[] precisions = new double[MAX_ORDER];
    if (java.util.Arrays.stream(matches).allMatch(m -> m == 0)) {
      return new Score(0, matches, totals, precisions, bp, hypLen, refLen);
    }
    double smooth = 1;
    double logSum = 0;
    for (int n = 0; n < MAX_ORDER; n++) {
      if (totals[n] > 0) {
        if (matches[n] == 0) {
          smooth *= 2;
          precisions[n] = 100.0 / (smooth * totals[n]);
        } else {
          precisions[n] = 100.0 * matches[n] / totals[n];
        }
      }
      // an order the hypotheses are too short for keeps precision 0: log(0) makes the score 0, as in sacreBLEU
      logSum += precisions[n] > 0 ? Math.log(precisions[n]) : -9999999999.0;
    }
    return new Score(bp * Math.exp(logSum / MAX_ORDER), matches, totals, precisions, bp, hypLen, refLen);
  }
}
