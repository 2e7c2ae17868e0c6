package io.sparkrnn.infer;

import io.sparkrnn.data.Vocab;
import io.sparkrnn.math.Kernels;
import io.sparkrnn.train.Checkpoint;
import io.sparkrnn.word2vec.VectorTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Word vectors: a word2vec model's input vectors, or a language model's embedding table; nearest words by cosine
 * similarity, analogies by 3CosAdd, and the word2vec text format.
 */
public final class WordVectors {
  private final Vocab vocab;
  private final float[] table; // (V, E)
  private final int dim;
  private float[] unit; // the rows scaled to length 1, made when first needed

  public WordVectors(Checkpoint ck) {
    this(ck.model().wordVectors(ck.params()));
  }

  /** Vectors in any word order; {@code </s>} and {@code <unk>} get ids 0 and 1, zero rows where absent. */
  public WordVectors(VectorTable t) {
    this.dim = t.dim();
    List<String> words = new ArrayList<>(List.of(Vocab.EOS, Vocab.UNK));
    float[] rows = new float[(t.words().size() + 2) * dim];
    for (int i = 0; i < t.words().size(); i++) {
      String w = t.words().get(i);
      int at = w.equals(Vocab.EOS) ? 0 : w.equals(Vocab.UNK) ? 1 : words.size();
      if (at == words.size()) {
        words.add(w);
      }
      System.arraycopy(t.table(), i * dim, rows, at * dim, dim);
    }
    this.vocab = new Vocab(words);
    this.table = java.util.Arrays.copyOf(rows, words.size() * dim);
  }

  WordVectors(Vocab vocab, float[] table, int dim) {
    this.vocab = vocab;
    this.table = table;
    this.dim = dim;
  }

  public Vocab vocab() {
    return vocab;
  }

  public int dim() {
    return dim;
  }

  public double[] vector(int id) {
    double[] v = new double[dim];
    for (int j = 0; j < dim; j++) {
      v[j] = table[id * dim + j];
    }
    return v;
  }

  /** A word and its cosine similarity to the query. */
  public record Neighbour(String word, double similarity) {}

  /** The k words closest to {@code word} by cosine similarity, the word itself excluded. */
  public Neighbour[] neighbours(String word, int k) {
    int q = id(word);
    return nearest(unitRow(q), k, Set.of(q), vocab.size());
  }

  /**
   * "a is to b as c is to ?" by 3CosAdd (Mikolov et al. 2013): the k words x, other than a, b and c, of highest
   * cos(x, b − a + c) over unit vectors.
   */
  public Neighbour[] analogy(String a, String b, String c, int k) {
    return analogy(id(a), id(b), id(c), k, vocab.size());
  }

  private Neighbour[] analogy(int a, int b, int c, int k, int among) {
    double[] ua = unitRow(a);
    double[] ub = unitRow(b);
    double[] uc = unitRow(c);
    double[] q = new double[dim];
    for (int j = 0; j < dim; j++) {
      q[j] = ub[j] - ua[j] + uc[j];
    }
    return nearest(q, k, Set.of(a, b, c), among);
  }

  /** Correct, asked and skipped (a word outside the most frequent) questions of one section of an analogy set. */
  public record Score(int correct, int asked, int skipped) {
    public double accuracy() {
      return asked == 0 ? Double.NaN : correct / (double) asked;
    }
  }

  /**
   * Analogy accuracy on questions in the format of the classic test set: lines "a b c d" (d the expected answer),
   * sections headed ": name". As gensim and the C tool count: a question with a word outside the
   * {@code mostFrequent} most frequent words (0: all) is skipped, answers are searched among those words, and the
   * match ignores case. By section, in order, then "total".
   */
  public Map<String, Score> analogies(List<String> lines, int mostFrequent) {
    int among = mostFrequent > 0 ? Math.min(mostFrequent + 2, vocab.size()) : vocab.size();
    Map<String, int[]> counts = new LinkedHashMap<>();
    String section = "(none)";
    for (String line : lines) {
      String l = line.strip();
      if (l.isEmpty()) {
        continue;
      }
      if (l.startsWith(":")) {
        section = l.substring(1).strip();
        continue;
      }
      String[] w = l.split("\\s+");
      if (w.length != 4) {
        throw new IllegalArgumentException("an analogy question is four words, not '" + line + "'");
      }
      int[] ids = new int[4];
      boolean known = true;
      for (int i = 0; i < 4; i++) {
        ids[i] = lookup(w[i]);
        known &= ids[i] >= 2 && ids[i] < among;
      }
      int[] s = counts.computeIfAbsent(section, x -> new int[3]);
      if (!known) {
        s[2]++;
        continue;
      }
      s[1]++;
      s[0] += analogy(ids[0], ids[1], ids[2], 1, among)[0].word().equals(vocab.word(ids[3])) ? 1 : 0;
    }
    Map<String, Score> out = new LinkedHashMap<>();
    int[] total = new int[3];
    counts.forEach((name, s) -> {
      out.put(name, new Score(s[0], s[1], s[2]));
      for (int i = 0; i < 3; i++) {
        total[i] += s[i];
      }
    });
    out.put("total", new Score(total[0], total[1], total[2]));
    return out;
  }

  /** The word's id, or its lower-case form's, or -1. */
  public int lookup(String word) {
    if (vocab.contains(word)) {
      return vocab.id(word);
    }
    String lower = word.toLowerCase(Locale.ROOT);
    return vocab.contains(lower) ? vocab.id(lower) : -1;
  }

  private int id(String word) {
    if (!vocab.contains(word)) {
      throw new IllegalArgumentException("'" + word + "' is not in the model's vocabulary of " + vocab.size() + " words");
    }
    return vocab.id(word);
  }

  /** The k words of ids [2, among) most similar to {@code query} (any length), {@code excluded} left out. */
  private Neighbour[] nearest(double[] query, int k, Set<Integer> excluded, int among) {
    float[] u = unit();
    float[] sims = new float[among];
    double qn = 0;
    for (double x : query) {
      qn += x * x;
    }
    qn = Math.max(1e-12, Math.sqrt(qn));
    for (int id = 0; id < among; id++) {
      double dot = 0;
      for (int j = 0; j < dim; j++) {
        dot += query[j] * u[id * dim + j];
      }
      sims[id] = id < 2 || excluded.contains(id) ? Float.NEGATIVE_INFINITY : (float) (dot / qn);
    }
    int[] best = Predictor.topK(sims, k);
    List<Neighbour> out = new ArrayList<>();
    for (int b : best) {
      if (sims[b] > Float.NEGATIVE_INFINITY) {
        out.add(new Neighbour(vocab.word(b), sims[b]));
      }
    }
    return out.toArray(new Neighbour[0]);
  }

  /** The cosine similarity of words {@code a} and {@code b} (ids). */
  public double cosine(int a, int b) {
    float[] u = unit();
    return Kernels.dot(u, a * dim, u, b * dim, dim, Kernels.dotScratch());
  }

  private double[] unitRow(int id) {
    float[] u = unit();
    double[] v = new double[dim];
    for (int j = 0; j < dim; j++) {
      v[j] = u[id * dim + j];
    }
    return v;
  }

  private synchronized float[] unit() {
    if (unit == null) {
      unit = new float[table.length];
      for (int id = 0; id < vocab.size(); id++) {
        double s = 0;
        for (int j = 0; j < dim; j++) {
          s += (double) table[id * dim + j] * table[id * dim + j];
        }
        double n = Math.max(1e-12, Math.sqrt(s));
        for (int j = 0; j < dim; j++) {
          unit[id * dim + j] = (float) (table[id * dim + j] / n);
        }
      }
    }
    return unit;
  }

  /** The vectors in the word2vec text format ({@link VectorTable}), {@code <unk>} left out. */
  public void writeText(Path file) throws IOException {
    new VectorTable(vocab.words(), table, dim).writeText(file, Vocab.UNK);
  }

  /** Vectors in the word2vec text format, in file order behind {@code </s>} and {@code <unk>}. */
  public static WordVectors readText(Path file) throws IOException {
    return new WordVectors(VectorTable.readText(file));
  }
}
