package io.sparkrnn.math;

/**
 * The element-wise steps of an LSTM-like cell (the tree cells' forward and backward around their matrix
 * products), on the Vector API where {@link Kernels} uses it, else as plain loops. Both do the same float
 * operations in the same order, so they give the same bits.
 */
public final class GateKernels {
  private GateKernels() {}

  /** y[yo + k] = a[ao + k] · b[bo + k] for k < n. */
  public static void mul(float[] a, int ao, float[] b, int bo, float[] y, int yo, int n) {
    if (Kernels.VECTOR) {
      VectorGateKernels.mul(a, ao, b, bo, y, yo, n);
    } else {
      mul(0, a, ao, b, bo, y, yo, n);
    }
  }

  /** {@link #mul} from element {@code k0} on (the vector kernels' tail). */
  static void mul(int k0, float[] a, int ao, float[] b, int bo, float[] y, int yo, int n) {
    for (int k = k0; k < n; k++) {
      y[yo + k] = a[ao + k] * b[bo + k];
    }
  }

  /** y[yo + k] += a[ao + k] · b[bo + k] for k < n. */
  public static void addMul(float[] a, int ao, float[] b, int bo, float[] y, int yo, int n) {
    if (Kernels.VECTOR) {
      VectorGateKernels.addMul(a, ao, b, bo, y, yo, n);
    } else {
      addMul(0, a, ao, b, bo, y, yo, n);
    }
  }

  static void addMul(int k0, float[] a, int ao, float[] b, int bo, float[] y, int yo, int n) {
    for (int k = k0; k < n; k++) {
      y[yo + k] += a[ao + k] * b[bo + k];
    }
  }

  /**
   * The backward step of c = i ⊙ u + Σ f_k ⊙ c_k, h = o ⊙ tanh(c) at one node, from the gates after their
   * non-linearities (i at {@code gi}, o at {@code go}, u at {@code gu} of {@code gates}) and tanh(c) at {@code t}:
   * dC[d..] becomes the whole dL/dc (dC + dH ⊙ o ⊙ (1 − tanh²c), dH read at the same offset d), and dGates gets dL/d(pre-activation) of i, o
   * and u at {@code di}, {@code dO}, {@code du} (overwritten).
   */
  public static void cellBackward(float[] gates, int gi, int go, int gu, float[] tanhC, int t, float[] dH,
      float[] dC, int d, float[] dGates, int di, int dO, int du, int n) {
    if (Kernels.VECTOR) {
      VectorGateKernels.cellBackward(gates, gi, go, gu, tanhC, t, dH, dC, d, dGates, di, dO, du, n);
    } else {
      cellBackward(0, gates, gi, go, gu, tanhC, t, dH, dC, d, dGates, di, dO, du, n);
    }
  }

  static void cellBackward(int k0, float[] gates, int gi, int go, int gu, float[] tanhC, int t, float[] dH,
      float[] dC, int d, float[] dGates, int di, int dO, int du, int n) {
    for (int k = k0; k < n; k++) {
      float i = gates[gi + k];
      float o = gates[go + k];
      float u = gates[gu + k];
      float tc = tanhC[t + k];
      float dc = dC[d + k] + dH[d + k] * o * (1f - tc * tc);
      dC[d + k] = dc;
      dGates[di + k] = dc * u * i * (1f - i);
      dGates[dO + k] = dH[d + k] * tc * o * (1f - o);
      dGates[du + k] = dc * i * (1f - u * u);
    }
  }

  /**
   * The backward step of a child's term f ⊙ c_child: dF[df..] = dc ⊙ c_child ⊙ f ⊙ (1 − f) (the forget gate's
   * pre-activation, overwritten) and dC[dChild..] += dc ⊙ f, dc being dC[d..] (the parent's, same array).
   */
  public static void forgetBackward(float[] dC, int d, float[] c, int child, float[] f, int fo, float[] dF, int df,
      int dChild, int n) {
    if (Kernels.VECTOR) {
      VectorGateKernels.forgetBackward(dC, d, c, child, f, fo, dF, df, dChild, n);
    } else {
      forgetBackward(0, dC, d, c, child, f, fo, dF, df, dChild, n);
    }
  }

  static void forgetBackward(int k0, float[] dC, int d, float[] c, int child, float[] f, int fo, float[] dF, int df,
      int dChild, int n) {
    for (int k = k0; k < n; k++) {
      float g = f[fo + k];
      float dc = dC[d + k];
      dF[df + k] = dc * c[child + k] * g * (1f - g);
      dC[dChild + k] += dc * g;
    }
  }
}
