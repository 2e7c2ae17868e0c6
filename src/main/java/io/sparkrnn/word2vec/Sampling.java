package io.sparkrnn.word2vec;

import java.util.ArrayDeque;

/**
 * What word2vec draws from the word counts: negative samples from the unigram distribution raised to 3/4, and
 * which occurrences of frequent words to skip (subsampling). Counts of the words that are not trained
 * ({@code </s>}, {@code <unk>}) are 0: they are never drawn and never kept.
 *
 * <p>The noise words come from Walker's alias table (Vose's construction) instead of the C tool's table of 10^8
 * slots: the same distribution, exactly rather than to 1/table size, from two arrays as long as the vocabulary,
 * which stay in the cache where a slot table of hundreds of megabytes costs a cache miss per draw.
 */
public final class Sampling implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  private final long[] counts;
  private final double sample;
  private transient volatile Alias alias;
  private transient volatile float[] keep;

  /** Column i of the alias table: word[i] with probability prob[i], else other[i]. */
  private record Alias(int[] word, float[] prob, int[] other) {}

  public Sampling(long[] counts, double sample) {
    this.counts = counts.clone();
    this.sample = sample;
    if (total() == 0) {
      throw new IllegalArgumentException("no word of the vocabulary occurs in the training text");
    }
  }

  /** Occurrences of every trained word. */
  public long total() {
    long n = 0;
    for (long c : counts) {
      n += c;
    }
    return n;
  }

  /** The probability that a noise draw is {@code word}: c^0.75 / Σ c^0.75. */
  public double noiseProbability(int word) {
    double norm = 0;
    for (long c : counts) {
      norm += Math.pow(c, 0.75);
    }
    return Math.pow(counts[word], 0.75) / norm;
  }

  /**
   * The noise word for 64 uniform random bits: the high 32 pick a column of the alias table, the low 32 decide
   * between its two words.
   */
  public int noise(long bits) {
    Alias a = alias != null ? alias : buildAlias();
    int column = (int) (((bits >>> 32) * a.word.length) >>> 32);
    return (bits & 0xFFFFFFFFL) * 0x1p-32 < a.prob[column] ? a.word[column] : a.other[column];
  }

  /** The probability that {@link #noise} returns {@code word}, read back from the alias table (for tests). */
  double aliasProbability(int word) {
    Alias a = alias != null ? alias : buildAlias();
    double p = 0;
    for (int i = 0; i < a.word.length; i++) {
      p += (a.word[i] == word ? a.prob[i] : 0) + (a.other[i] == word ? 1 - a.prob[i] : 0);
    }
    return p / a.word.length;
  }

  /**
   * Vose's alias construction: every column holds one word's mass of at most 1/n and is topped up to 1/n by a word
   * whose mass is larger than 1/n (n the number of trained words).
   */
  private synchronized Alias buildAlias() {
    if (alias != null) {
      return alias;
    }
    int n = 0;
    for (long c : counts) {
      n += c > 0 ? 1 : 0;
    }
    int[] word = new int[n];
    double[] scaled = new double[n];
    double norm = 0;
    for (long c : counts) {
      norm += Math.pow(c, 0.75);
    }
    for (int w = 0, i = 0; w < counts.length; w++) {
      if (counts[w] > 0) {
        word[i] = w;
        scaled[i++] = Math.pow(counts[w], 0.75) / norm * n;
      }
    }
    float[] prob = new float[n];
    int[] other = new int[n];
    ArrayDeque<Integer> small = new ArrayDeque<>();
    ArrayDeque<Integer> large = new ArrayDeque<>();
    for (int i = 0; i < n; i++) {
      (scaled[i] < 1 ? small : large).add(i);
    }
    int[] columnWord = new int[n];
    while (!small.isEmpty() && !large.isEmpty()) {
      int s = small.poll();
      int l = large.peek();
      columnWord[s] = word[s];
      prob[s] = (float) scaled[s];
      other[s] = word[l];
      scaled[l] -= 1 - scaled[s];
      if (scaled[l] < 1) {
        small.add(large.poll());
      }
    }
    for (ArrayDeque<Integer> rest : java.util.List.of(small, large)) {
      for (int i : rest) { // the mass left is 1 up to rounding
        columnWord[i] = word[i];
        prob[i] = 1f;
        other[i] = word[i];
      }
    }
    alias = new Alias(columnWord, prob, other);
    return alias;
  }

  /**
   * The probability that an occurrence of {@code word} is trained (Mikolov et al. 2013, as the C tool computes it):
   * with f its share of the text and t = sample, (sqrt(f / t) + 1) · t / f, at most 1; 1 when sample is 0, and 0
   * for the words that are not trained.
   */
  public float keep(int word) {
    float[] k = keep;
    return (k != null ? k : keepProbabilities())[word];
  }

  private synchronized float[] keepProbabilities() {
    if (keep != null) {
      return keep;
    }
    float[] k = new float[counts.length];
    double total = total();
    for (int i = 0; i < k.length; i++) {
      if (counts[i] == 0) {
        continue;
      }
      double f = counts[i] / total;
      k[i] = sample == 0 ? 1f : (float) Math.min(1, (Math.sqrt(f / sample) + 1) * sample / f);
    }
    keep = k;
    return k;
  }
}
