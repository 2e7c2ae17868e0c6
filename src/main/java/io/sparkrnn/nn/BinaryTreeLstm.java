package io.sparkrnn.nn;

import io.sparkrnn.math.Blas;
import io.sparkrnn.math.GateKernels;
import io.sparkrnn.math.Kernels;

/**
 * The N-ary Tree-LSTM of Tai et al. 2015 for N = 2: with the children's states (h_1, c_1), (h_2, c_2) (zeros
 * where a child is absent) and x the node's input,
 * <pre>
 *   [i, f_1, f_2, o, u] = [σ, σ, σ, σ, tanh](W x + U [h_1; h_2] + b)     W (5H, E), U (5H, 2H), b (5H)
 *   c = i ⊙ u + f_1 ⊙ c_1 + f_2 ⊙ c_2,    h = o ⊙ tanh(c)
 * </pre>
 * Each child has its own forget gate and its own columns of U, so the cell knows left from right. W x + b runs
 * once over every node of the batch; U runs once per level over the concatenated children.
 */
final class BinaryTreeLstm implements TreeCell {
  private final int hidden;
  private final ParamLayout.View wIh;
  private final ParamLayout.View wHh;
  private final ParamLayout.View bias;

  BinaryTreeLstm(ParamLayout layout, int in, int hidden) {
    this.hidden = hidden;
    this.wIh = layout.add("cell.weight_ih", 5 * hidden, in);
    this.wHh = layout.add("cell.weight_hh", 5 * hidden, 2 * hidden);
    this.bias = layout.add("cell.bias", 1, 5 * hidden);
  }

  @Override
  public boolean binary() {
    return true;
  }

  private static final class LstmCache extends Cache {
    final float[] gates; // (N, 5H) after the non-linearities
    final float[] c; // (N, H)
    final float[] tanhC; // (N, H)

    LstmCache(float[] h, float[] gates, float[] c, float[] tanhC) {
      super(h);
      this.gates = gates;
      this.c = c;
      this.tanhC = tanhC;
    }
  }

  @Override
  public Cache forward(float[] p, TreeSchedule s, NodeInputs in) {
    s.requireBinary();
    int h = hidden;
    int g5 = 5 * h;
    int n = s.nodes;
    float[] gates = new float[n * g5];
    in.project(wIh, bias, gates);
    float[] out = new float[n * h];
    float[] c = new float[n * h];
    float[] tanhC = new float[n * h];
    float[] pair = new float[0];
    for (int l = 0; l < s.levels(); l++) {
      int a = s.levelStart[l];
      int b = s.levelStart[l + 1];
      if (l > 0) {
        pair = Tensors.ensure(pair, (b - a) * 2 * h);
        s.gatherPairs(a, b, out, h, pair);
        Blas.gemm(false, true, b - a, g5, 2 * h, 1f, pair, 0, 2 * h, p, wHh.offset(), 2 * h, 1f, gates, a * g5, g5);
      }
      for (int j = a; j < b; j++) {
        int gj = j * g5;
        Kernels.sigmoid(gates, gj, 4 * h);
        Kernels.tanh(gates, gj + 4 * h, h);
        GateKernels.mul(gates, gj, gates, gj + 4 * h, c, j * h, h);
        for (int e = s.childStart[j], slot = 1; e < s.childStart[j + 1]; e++, slot++) {
          GateKernels.addMul(gates, gj + slot * h, c, s.children[e] * h, c, j * h, h);
        }
        System.arraycopy(c, j * h, tanhC, j * h, h);
        Kernels.tanh(tanhC, j * h, h);
        GateKernels.mul(gates, gj + 3 * h, tanhC, j * h, out, j * h, h);
      }
    }
    return new LstmCache(out, gates, c, tanhC);
  }

  @Override
  public void backward(float[] p, TreeSchedule s, NodeInputs in, Cache cache, float[] dH, float[] g) {
    LstmCache st = (LstmCache) cache;
    int h = hidden;
    int g5 = 5 * h;
    int n = s.nodes;
    float[] dGates = new float[n * g5]; // (N, 5H) before the non-linearities
    float[] dC = new float[n * h];
    float[] pair = new float[0];
    float[] dPair = new float[0];
    for (int l = s.levels() - 1; l >= 0; l--) {
      int a = s.levelStart[l];
      int b = s.levelStart[l + 1];
      for (int j = a; j < b; j++) {
        int gj = j * g5;
        GateKernels.cellBackward(st.gates, gj, gj + 3 * h, gj + 4 * h, st.tanhC, j * h, dH, dC, j * h, dGates, gj,
            gj + 3 * h, gj + 4 * h, h);
        for (int e = s.childStart[j], slot = 1; e < s.childStart[j + 1]; e++, slot++) {
          GateKernels.forgetBackward(dC, j * h, st.c, s.children[e] * h, st.gates, gj + slot * h, dGates,
              gj + slot * h, s.children[e] * h, h);
        }
      }
      if (l > 0) {
        pair = Tensors.ensure(pair, (b - a) * 2 * h);
        dPair = Tensors.ensure(dPair, (b - a) * 2 * h);
        s.gatherPairs(a, b, st.h, h, pair);
        Blas.gemm(true, false, g5, 2 * h, b - a, 1f, dGates, a * g5, g5, pair, 0, 2 * h, 1f, g, wHh.offset(), 2 * h);
        Blas.gemm(false, false, b - a, 2 * h, g5, 1f, dGates, a * g5, g5, p, wHh.offset(), 2 * h, 0f, dPair, 0,
            2 * h);
        s.scatterPairs(a, b, dPair, h, dH);
      }
    }
    in.backwardProject(wIh, bias, dGates, g);
  }
}
