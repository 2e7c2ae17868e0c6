package io.sparkrnn.nn;

/** Small loops over row-major blocks shared by the layers. */
final class Tensors {
  private Tensors() {}

  /** dst[dOff + j] += Σ_r src[r·cols + j] for rows r < rows (a bias gradient). */
  static void addColumnSums(float[] src, int rows, int cols, float[] dst, int dOff) {
    for (int r = 0; r < rows; r++) {
      int base = r * cols;
      for (int j = 0; j < cols; j++) {
        dst[dOff + j] += src[base + j];
      }
    }
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

  /** Array of at least n floats: the old one when it is big enough. */
  static float[] ensure(float[] a, int n) {
    return a != null && a.length >= n ? a : new float[n];
  }
}
