package io.sparkrnn.nn;

/**
 * Lookup table as PyTorch's nn.Embedding: {@code weight} (V, E); row id is the vector of token id.
 * A negative id (padding) reads as zeros and receives no gradient.
 */
public final class Embedding {
  private final int vocab;
  private final int dim;
  private final ParamLayout.View weight;

  public Embedding(ParamLayout layout, String prefix, int vocab, int dim) {
    this.vocab = vocab;
    this.dim = dim;
    this.weight = layout.add(prefix + ".weight", vocab, dim);
  }

  public int dim() {
    return dim;
  }

  public ParamLayout.View weight() {
    return weight;
  }

  /** out(N, E) = rows of the table for ids(N); overwritten. */
  public void forward(float[] p, int[] ids, int n, float[] out) {
    for (int r = 0; r < n; r++) {
      int id = ids[r];
      if (id >= vocab) {
        throw new IllegalArgumentException("token id " + id + " outside the vocabulary of " + vocab);
      }
      if (id < 0) {
        java.util.Arrays.fill(out, r * dim, (r + 1) * dim, 0f);
      } else {
        System.arraycopy(p, weight.offset() + id * dim, out, r * dim, dim);
      }
    }
  }

  /** Adds gradOut(N, E) into the table rows of ids (a scatter-add; repeated ids accumulate). */
  public void backward(int[] ids, int n, float[] gradOut, float[] g) {
    for (int r = 0; r < n; r++) {
      int id = ids[r];
      if (id < 0) {
        continue;
      }
      int dst = weight.offset() + id * dim;
      int src = r * dim;
      for (int j = 0; j < dim; j++) {
        g[dst + j] += gradOut[src + j];
      }
    }
  }
}
