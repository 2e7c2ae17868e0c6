package io.sparkrnn.nn;

import io.sparkrnn.math.Blas;

/** Small loops over row-major blocks shared by the layers. */
final class Tensors {
  private Tensors() {}

  /** A vector of ones, shared, grown by replacement (never written after it is published). */
  private static volatile float[] ones = new float[0];

  /**
   * dst[dOff + j] += Σ_r src[r·cols + j] for rows r < rows (a bias gradient): one gemv against a vector of
   * ones, which reads src at memory speed where a plain loop over a (rows, vocabulary) block does not.
   */
  static void addColumnSums(float[] src, int rows, int cols, float[] dst, int dOff) {
    float[] u = ones;
    if (u.length < rows) {
      u = new float[Math.max(rows, 2 * u.length)];
      java.util.Arrays.fill(u, 1f);
      ones = u;
    }
    Blas.gemvTransposed(rows, cols, 1f, src, 0, cols, u, 0, 1f, dst, dOff);
  }

  /** Writes b1 + b2 (two bias vectors of length n) into each of {@code rows} rows of dst. */
  static void fillRows(float[] dst, int dOff, int rows, float[] p, int b1, int b2, int n) {
    for (int r = 0; r < rows; r++) {
      int base = dOff + r * n;
      for (int j = 0; j < n; j++) {
        dst[base + j] = p[b1 + j] + p[b2 + j];
      }
    }
  }

  /** out[i] = a[i] · b[i] for i < n (a dropout mask applied); out may be a. */
  static void multiply(float[] a, float[] b, int n, float[] out) {
    for (int i = 0; i < n; i++) {
      out[i] = a[i] * b[i];
    }
  }

  /** Array of at least n floats: the old one when it is big enough. */
  static float[] ensure(float[] a, int n) {
    return a != null && a.length >= n ? a : new float[n];
  }
}
