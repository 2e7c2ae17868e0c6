package io.sparkrnn.nn;

import io.sparkrnn.math.Activation;
import io.sparkrnn.math.Blas;

/**
 * The recursive neural network of the course notes: a leaf's vector is its word's embedding, an inner node's is
 * {@code h = f(W [h_left; h_right] + b)} with one W (H, 2H) shared by every node of every tree, f tanh or ReLU (an
 * absent right child reads as zeros). Embedding and hidden size are therefore equal.
 */
final class RecursiveCell implements TreeCell {
  private final int hidden;
  private final Activation f;
  private final ParamLayout.View weight;
  private final ParamLayout.View bias;

  RecursiveCell(ParamLayout layout, int hidden, Activation f) {
    this.hidden = hidden;
    this.f = f;
    this.weight = layout.add("cell.weight", hidden, 2 * hidden);
    this.bias = layout.add("cell.bias", 1, hidden);
  }

  @Override
  public boolean binary() {
    return true;
  }

  @Override
  public Cache forward(float[] p, TreeSchedule s, NodeInputs in) {
    s.requireBinary();
    int h = hidden;
    float[] out = new float[s.nodes * h]; // (N, H)
    System.arraycopy(in.all(), 0, out, 0, s.levelStart[1] * h); // the leaves' vectors are their embeddings
    float[] pair = new float[0];
    for (int l = 1; l < s.levels(); l++) {
      int a = s.levelStart[l];
      int n = s.levelStart[l + 1] - a;
      pair = Tensors.ensure(pair, n * 2 * h); // (n, 2H)
      s.gatherPairs(a, a + n, out, h, pair);
      for (int j = a; j < a + n; j++) {
        System.arraycopy(p, bias.offset(), out, j * h, h);
      }
      Blas.gemm(false, true, n, h, 2 * h, 1f, pair, 0, 2 * h, p, weight.offset(), 2 * h, 1f, out, a * h, h);
      f.apply(out, a * h, n * h);
    }
    return new Cache(out);
  }

  @Override
  public void backward(float[] p, TreeSchedule s, NodeInputs in, Cache cache, float[] dH, float[] g) {
    int h = hidden;
    float[] pair = new float[0];
    float[] dPair = new float[0];
    float[] dPre = new float[0];
    for (int l = s.levels() - 1; l >= 1; l--) {
      int a = s.levelStart[l];
      int n = s.levelStart[l + 1] - a;
      dPre = Tensors.ensure(dPre, n * h); // (n, H)
      for (int i = 0; i < n * h; i++) {
        dPre[i] = dH[a * h + i] * f.derivative(cache.h[a * h + i]);
      }
      pair = Tensors.ensure(pair, n * 2 * h);
      dPair = Tensors.ensure(dPair, n * 2 * h);
      s.gatherPairs(a, a + n, cache.h, h, pair);
      Blas.gemm(true, false, h, 2 * h, n, 1f, dPre, 0, h, pair, 0, 2 * h, 1f, g, weight.offset(), 2 * h);
      Tensors.addColumnSums(dPre, n, h, g, bias.offset());
      Blas.gemm(false, false, n, 2 * h, h, 1f, dPre, 0, h, p, weight.offset(), 2 * h, 0f, dPair, 0, 2 * h);
      s.scatterPairs(a, a + n, dPair, h, dH);
    }
    float[] dX = new float[s.nodes * h]; // (N, E = H)
    System.arraycopy(dH, 0, dX, 0, s.levelStart[1] * h);
    in.backwardAll(dX, g);
  }
}
