package io.sparkrnn.infer;

import io.sparkrnn.data.Vocab;
import io.sparkrnn.nn.LanguageModel;
import io.sparkrnn.nn.ParamLayout;
import io.sparkrnn.train.Checkpoint;

/** The embedding table of a trained model as word vectors, and nearest words by cosine similarity. */
public final class WordVectors {
  private final Vocab vocab;
  private final float[] table; // (V, E)
  private final int dim;

  public WordVectors(Checkpoint ck) {
    ParamLayout.View emb = new LanguageModel(ck.spec()).layout().find("emb.weight");
    this.vocab = new Vocab(ck.vocab());
    this.table = java.util.Arrays.copyOfRange(ck.params(), emb.offset(), emb.end());
    this.dim = emb.cols();
  }

  public Vocab vocab() {
    return vocab;
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
    if (!vocab.contains(word)) {
      throw new IllegalArgumentException("'" + word + "' is not in the model's vocabulary of " + vocab.size() + " words");
    }
    int q = vocab.id(word);
    double qn = norm(q);
    float[] sims = new float[vocab.size()];
    for (int id = 0; id < sims.length; id++) {
      double dot = 0;
      for (int j = 0; j < dim; j++) {
        dot += table[q * dim + j] * table[id * dim + j];
      }
      sims[id] = id == q ? Float.NEGATIVE_INFINITY : (float) (dot / Math.max(1e-12, qn * norm(id)));
    }
    int[] best = Predictor.topK(sims, k);
    Neighbour[] out = new Neighbour[best.length];
    for (int i = 0; i < best.length; i++) {
      out[i] = new Neighbour(vocab.word(best[i]), sims[best[i]]);
    }
    return out;
  }

  private double norm(int id) {
    double s = 0;
    for (int j = 0; j < dim; j++) {
      s += (double) table[id * dim + j] * table[id * dim + j];
    }
    return Math.sqrt(s);
  }
}
