package io.sparkrnn.word2vec;

/**
 * What word2vec draws from the word counts: negative samples from the unigram distribution raised to 3/4, and
 * which occurrences of frequent words to skip (subsampling). Counts of the words that are not trained
 * ({@code </s>}, {@code <unk>}) are 0: they are never drawn and never kept.
 */
public final class Sampling implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  /** Slots of the noise table: the resolution of the noise distribution is 1 / this. */
  public static final int DEFAULT_TABLE = 10_000_000;
  private final long[] counts;
  private final double sample;
  private final int tableSize;
  private transient volatile int[] table;
  private transient volatile float[] keep;

  public Sampling(long[] counts, double sample, int tableSize) {
    this.counts = counts.clone();
    this.sample = sample;
    this.tableSize = tableSize;
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

  /**
   * The noise table of the C tool: word i fills about tableSize · c_i^0.75 / Σ_j c_j^0.75 consecutive slots, so a
   * uniform slot is a draw from the smoothed unigram distribution.
   */
  public int[] table() {
    int[] t = table;
    return t != null ? t : buildTable();
  }

  private synchronized int[] buildTable() {
    if (table == null) {
      double norm = 0;
      for (long c : counts) {
        norm += Math.pow(c, 0.75);
      }
      int[] t = new int[tableSize];
      int word = nextCounted(-1);
      double upTo = Math.pow(counts[word], 0.75) / norm;
      for (int a = 0; a < tableSize; a++) {
        t[a] = word;
        if ((a + 1) / (double) tableSize > upTo) {
          int next = nextCounted(word);
          if (next >= 0) {
            word = next;
            upTo += Math.pow(counts[word], 0.75) / norm;
          }
        }
      }
      table = t;
    }
    return table;
  }

  private int nextCounted(int after) {
    for (int i = after + 1; i < counts.length; i++) {
      if (counts[i] > 0) {
        return i;
      }
    }
    return -1;
  }

  /** The noise word for a uniform u in [0, 1). */
  public int noise(double u) {
    return table()[(int) (u * tableSize)];
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
