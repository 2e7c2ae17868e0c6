package io.sparkrnn.nn;

import io.sparkrnn.math.Blas;

/**
 * The inputs of a batch of tree nodes: each node's word vector x (its row of the embedding table, zeros for a node
 * without a word), and products x·Wᵀ + b with a cell's input weights. A product runs over the rows with a word
 * only (the inner nodes of a binarised tree have none), or, where the vocabulary has fewer words than there are
 * such rows, over the table itself, whose rows are then gathered: ListOps has 17 words for thousands of nodes a
 * batch, and the projection of every leaf is one of 17 rows. The two give the same values up to rounding.
 */
final class NodeInputs {
  private final float[] p;
  private final TreeSchedule s;
  private final Embedding emb;
  private final int[] rows; // nodes with a word
  private final int[] words; // their words
  private float[] x; // (rows, E), gathered on first use

  NodeInputs(float[] p, TreeSchedule s, Embedding emb) {
    this.p = p;
    this.s = s;
    this.emb = emb;
    int n = 0;
    for (int w : s.words) {
      n += w >= 0 ? 1 : 0;
    }
    rows = new int[n];
    words = new int[n];
    n = 0;
    for (int j = 0; j < s.nodes; j++) {
      if (s.words[j] >= emb.weight().rows()) {
        throw new IllegalArgumentException("word id " + s.words[j] + " outside the vocabulary of "
            + emb.weight().rows());
      }
      if (s.words[j] >= 0) {
        rows[n] = j;
        words[n++] = s.words[j];
      }
    }
  }

  private boolean overTable() {
    return emb.weight().rows() < rows.length;
  }

  /** The word vectors of the rows with a word, (rows, E). */
  private float[] wordVectors() {
    if (x == null) {
      x = new float[rows.length * emb.dim()];
      emb.forward(p, words, rows.length, x);
    }
    return x;
  }

  /** Every node's x, (N, E). */
  float[] all() {
    int e = emb.dim();
    float[] out = new float[s.nodes * e];
    float[] v = wordVectors();
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(v, r * e, out, rows[r] * e, e);
    }
    return out;
  }

  /** Adds dX (N, E), the gradient of every node's x, into the embedding rows of the nodes' words. */
  void backwardAll(float[] dX, float[] g) {
    int e = emb.dim();
    float[] d = new float[rows.length * e];
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(dX, rows[r] * e, d, r * e, e);
    }
    emb.backward(words, rows.length, d, g);
  }

  /** out(N, K) = x·Wᵀ + b, W (K, E), for every node; overwritten. */
  void project(ParamLayout.View w, ParamLayout.View bias, float[] out) {
    int k = w.rows();
    int e = emb.dim();
    for (int j = 0; j < s.nodes; j++) {
      System.arraycopy(p, bias.offset(), out, j * k, k);
    }
    float[] prod; // (V or rows, K)
    if (overTable()) {
      prod = new float[emb.weight().rows() * k];
      Blas.gemm(false, true, emb.weight().rows(), k, e, 1f, p, emb.weight().offset(), e, p, w.offset(), e, 0f,
          prod, 0, k);
    } else {
      prod = new float[rows.length * k];
      Blas.gemm(false, true, rows.length, k, e, 1f, wordVectors(), 0, e, p, w.offset(), e, 0f, prod, 0, k);
    }
    for (int r = 0; r < rows.length; r++) {
      int from = (overTable() ? words[r] : r) * k;
      int to = rows[r] * k;
      for (int i = 0; i < k; i++) {
        out[to + i] += prod[from + i];
      }
    }
  }

  /** The backward pass of {@link #project}: adds dW, db and the embedding rows' gradient into g from dOut (N, K). */
  void backwardProject(ParamLayout.View w, ParamLayout.View bias, float[] dOut, float[] g) {
    int k = w.rows();
    int e = emb.dim();
    Tensors.addColumnSums(dOut, s.nodes, k, g, bias.offset());
    if (overTable()) {
      int v = emb.weight().rows();
      float[] dTable = new float[v * k]; // (V, K): the rows of each word summed
      for (int r = 0; r < rows.length; r++) {
        int from = rows[r] * k;
        int to = words[r] * k;
        for (int i = 0; i < k; i++) {
          dTable[to + i] += dOut[from + i];
        }
      }
      Blas.gemm(true, false, k, e, v, 1f, dTable, 0, k, p, emb.weight().offset(), e, 1f, g, w.offset(), e);
      Blas.gemm(false, false, v, e, k, 1f, dTable, 0, k, p, w.offset(), e, 1f, g, emb.weight().offset(), e);
      return;
    }
    float[] d = new float[rows.length * k]; // (rows, K)
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(dOut, rows[r] * k, d, r * k, k);
    }
    Blas.gemm(true, false, k, e, rows.length, 1f, d, 0, k, wordVectors(), 0, e, 1f, g, w.offset(), e);
    float[] dX = new float[rows.length * e];
    Blas.gemm(false, false, rows.length, e, k, 1f, d, 0, k, p, w.offset(), e, 0f, dX, 0, e);
    emb.backward(words, rows.length, dX, g);
  }
}
