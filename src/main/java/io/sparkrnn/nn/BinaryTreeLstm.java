package io.sparkrnn.nn;

import io.sparkrnn.math.Blas;
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
        for (int k = 0; k < h; k++) {
          c[j * h + k] = gates[gj + k] * gates[gj + 4 * h + k];
        }
        for (int e = s.childStart[j], slot = 1; e < s.childStart[j + 1]; e++, slot++) {
          int child = s.children[e];
          for (int k = 0; k < h; k++) {
            c[j * h + k] += gates[gj + slot * h + k] * c[child * h + k];
          }
        }
        for (int k = 0; k < h; k++) {
          tanhC[j * h + k] = c[j * h + k];
        }
        Kernels.tanh(tanhC, j * h, h);
        for (int k = 0; k < h; k++) {
          out[j * h + k] = gates[gj + 3 * h + k] * tanhC[j * h + k];
        }
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
        for (int k = 0; k < h; k++) {
          int jk = j * h + k;
          float i = st.gates[gj + k];
          float o = st.gates[gj + 3 * h + k];
          float u = st.gates[gj + 4 * h + k];
          float tc = st.tanhC[jk];
          float dc = dC[jk] + dH[jk] * o * (1f - tc * tc);
          dC[jk] = dc;
          dGates[gj + k] = dc * u * i * (1f - i);
          dGates[gj + 3 * h + k] = dH[jk] * tc * o * (1f - o);
          dGates[gj + 4 * h + k] = dc * i * (1f - u * u);
        }
        for (int e = s.childStart[j], slot = 1; e < s.childStart[j + 1]; e++, slot++) {
          int child = s.children[e];
          for (int k = 0; k < h; k++) {
            float f = st.gates[gj + slot * h + k];
            float dc = dC[j * h + k];
            dGates[gj + slot * h + k] = dc * st.c[child * h + k] * f * (1f - f);
            dC[child * h + k] += dc * f;
          }
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
