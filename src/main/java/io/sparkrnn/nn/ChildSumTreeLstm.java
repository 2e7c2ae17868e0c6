package io.sparkrnn.nn;

import io.sparkrnn.math.Blas;
import io.sparkrnn.math.GateKernels;
import io.sparkrnn.math.Kernels;

/**
 * The Child-Sum Tree-LSTM of Tai et al. 2015, for any number of unordered children k with states (h_k, c_k):
 * <pre>
 *   h̃ = Σ_k h_k
 *   [i, o, u] = [σ, σ, tanh](W_iou x + U_iou h̃ + b_iou)
 *   f_k = σ(W_f x + U_f h_k + b_f)                          one forget gate per child
 *   c = i ⊙ u + Σ_k f_k ⊙ c_k,    h = o ⊙ tanh(c)
 * </pre>
 * W = [W_iou; W_f] (4H, E) and b (4H) run once over every node of the batch; per level, U_iou (3H, H) runs over
 * the nodes' child sums and U_f (H, H) over their children. Over a chain (one child per node) this is an LSTM.
 */
final class ChildSumTreeLstm implements TreeCell {
  private final int hidden;
  private final ParamLayout.View wIh;
  private final ParamLayout.View wIou;
  private final ParamLayout.View wF;
  private final ParamLayout.View bias;

  ChildSumTreeLstm(ParamLayout layout, int in, int hidden) {
    this.hidden = hidden;
    this.wIh = layout.add("cell.weight_ih", 4 * hidden, in);
    this.wIou = layout.add("cell.weight_hh_iou", 3 * hidden, hidden);
    this.wF = layout.add("cell.weight_hh_f", hidden, hidden);
    this.bias = layout.add("cell.bias", 1, 4 * hidden);
  }

  @Override
  public boolean binary() {
    return false;
  }

  private static final class LstmCache extends Cache {
    final float[] gates; // (N, 4H): i, o, u after the non-linearities, then W_f x + b_f
    final float[] forget; // (edges, H): f_k of each child edge
    final float[] c; // (N, H)
    final float[] tanhC; // (N, H)

    LstmCache(float[] h, float[] gates, float[] forget, float[] c, float[] tanhC) {
      super(h);
      this.gates = gates;
      this.forget = forget;
      this.c = c;
      this.tanhC = tanhC;
    }
  }

  /** childH(m, H) = the children's h of the nodes [a, b); sum(n, H) = their sums per node. */
  private void gather(TreeSchedule s, int a, int b, float[] h, float[] childH, float[] sum) {
    int hd = hidden;
    java.util.Arrays.fill(sum, 0, (b - a) * hd, 0f);
    int e0 = s.childStart[a];
    for (int e = e0; e < s.childStart[b]; e++) {
      System.arraycopy(h, s.children[e] * hd, childH, (e - e0) * hd, hd);
      Kernels.axpy(1f, h, s.children[e] * hd, sum, (s.edgeParent[e] - a) * hd, hd);
    }
  }

  @Override
  public Cache forward(float[] p, TreeSchedule s, NodeInputs in) {
    int h = hidden;
    int g4 = 4 * h;
    int n = s.nodes;
    float[] gates = new float[n * g4];
    in.project(wIh, bias, gates);
    float[] forget = new float[s.children.length * h];
    float[] out = new float[n * h];
    float[] c = new float[n * h];
    float[] tanhC = new float[n * h];
    float[] childH = new float[0];
    float[] sum = new float[0];
    for (int l = 0; l < s.levels(); l++) {
      int a = s.levelStart[l];
      int b = s.levelStart[l + 1];
      int e0 = s.childStart[a];
      int m = s.childStart[b] - e0;
      if (m > 0) {
        childH = Tensors.ensure(childH, m * h);
        sum = Tensors.ensure(sum, (b - a) * h);
        gather(s, a, b, out, childH, sum);
        Blas.gemm(false, true, b - a, 3 * h, h, 1f, sum, 0, h, p, wIou.offset(), h, 1f, gates, a * g4, g4);
        for (int e = e0; e < e0 + m; e++) {
          System.arraycopy(gates, s.edgeParent[e] * g4 + 3 * h, forget, e * h, h);
        }
        Blas.gemm(false, true, m, h, h, 1f, childH, 0, h, p, wF.offset(), h, 1f, forget, e0 * h, h);
        Kernels.sigmoid(forget, e0 * h, m * h);
      }
      for (int j = a; j < b; j++) {
        int gj = j * g4;
        Kernels.sigmoid(gates, gj, 2 * h);
        Kernels.tanh(gates, gj + 2 * h, h);
        GateKernels.mul(gates, gj, gates, gj + 2 * h, c, j * h, h);
        for (int e = s.childStart[j]; e < s.childStart[j + 1]; e++) {
          GateKernels.addMul(forget, e * h, c, s.children[e] * h, c, j * h, h);
        }
        System.arraycopy(c, j * h, tanhC, j * h, h);
        Kernels.tanh(tanhC, j * h, h);
        GateKernels.mul(gates, gj + h, tanhC, j * h, out, j * h, h);
      }
    }
    return new LstmCache(out, gates, forget, c, tanhC);
  }

  @Override
  public void backward(float[] p, TreeSchedule s, NodeInputs in, Cache cache, float[] dH, float[] g) {
    LstmCache st = (LstmCache) cache;
    int h = hidden;
    int g4 = 4 * h;
    int n = s.nodes;
    float[] dGates = new float[n * g4]; // (N, 4H) before the non-linearities; the f slot sums its edges' dF
    float[] dForget = new float[s.children.length * h]; // (edges, H)
    float[] dC = new float[n * h];
    float[] childH = new float[0];
    float[] sum = new float[0];
    float[] dSum = new float[0];
    float[] dChildH = new float[0];
    for (int l = s.levels() - 1; l >= 0; l--) {
      int a = s.levelStart[l];
      int b = s.levelStart[l + 1];
      for (int j = a; j < b; j++) {
        int gj = j * g4;
        GateKernels.cellBackward(st.gates, gj, gj + h, gj + 2 * h, st.tanhC, j * h, dH, dC, j * h, dGates, gj,
            gj + h, gj + 2 * h, h);
        for (int e = s.childStart[j]; e < s.childStart[j + 1]; e++) {
          GateKernels.forgetBackward(dC, j * h, st.c, s.children[e] * h, st.forget, e * h, dForget, e * h,
              s.children[e] * h, h);
          Kernels.axpy(1f, dForget, e * h, dGates, gj + 3 * h, h);
        }
      }
      int e0 = s.childStart[a];
      int m = s.childStart[b] - e0;
      if (m > 0) {
        int rows = b - a;
        childH = Tensors.ensure(childH, m * h);
        sum = Tensors.ensure(sum, rows * h);
        dSum = Tensors.ensure(dSum, rows * h);
        dChildH = Tensors.ensure(dChildH, m * h);
        gather(s, a, b, st.h, childH, sum);
        Blas.gemm(true, false, 3 * h, h, rows, 1f, dGates, a * g4, g4, sum, 0, h, 1f, g, wIou.offset(), h);
        Blas.gemm(false, false, rows, h, 3 * h, 1f, dGates, a * g4, g4, p, wIou.offset(), h, 0f, dSum, 0, h);
        Blas.gemm(true, false, h, h, m, 1f, dForget, e0 * h, h, childH, 0, h, 1f, g, wF.offset(), h);
        Blas.gemm(false, false, m, h, h, 1f, dForget, e0 * h, h, p, wF.offset(), h, 0f, dChildH, 0, h);
        for (int e = e0; e < e0 + m; e++) {
          int child = s.children[e];
          Kernels.axpy(1f, dSum, (s.edgeParent[e] - a) * h, dH, child * h, h);
          Kernels.axpy(1f, dChildH, (e - e0) * h, dH, child * h, h);
        }
      }
    }
    in.backwardProject(wIh, bias, dGates, g);
  }
}
