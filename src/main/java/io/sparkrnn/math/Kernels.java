package io.sparkrnn.math;

import org.slf4j.LoggerFactory;

/**
 * Element-wise loops over large float arrays that decide the speed outside BLAS: the softmax over the
 * vocabulary (one exp per logit), the gradient sum, its norm and the Adam update. They run on the JDK's
 * Vector API (SIMD, with the vectorised exp of the JDK's intrinsic math library) when the JVM was started
 * with {@code --add-modules jdk.incubator.vector}, else as plain loops, and give the same results up to
 * float rounding either way.
 */
public final class Kernels {
  static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
      && !Boolean.getBoolean("sparkrnn.noVector");

  static {
    if (!VECTOR) {
      LoggerFactory.getLogger(Kernels.class).warn("Vector API not enabled: element-wise kernels run as plain loops"
          + " (several times slower). Start the JVM with --add-modules jdk.incubator.vector.");
    }
  }

  private Kernels() {}

  public static boolean vectorised() {
    return VECTOR;
  }

  /** The largest of x[off, off+n). */
  public static float max(float[] x, int off, int n) {
    if (VECTOR) {
      return VectorKernels.max(x, off, n);
    }
    float m = Float.NEGATIVE_INFINITY;
    for (int i = off; i < off + n; i++) {
      m = Math.max(m, x[i]);
    }
    return m;
  }

  /** Replaces x[i] with exp(x[i] - shift) on [off, off+n) and returns their sum. */
  public static double expShiftSum(float[] x, int off, int n, float shift) {
    if (VECTOR) {
      return VectorKernels.expShiftSum(x, off, n, shift);
    }
    double s = 0;
    for (int i = off; i < off + n; i++) {
      float e = (float) Math.exp(x[i] - shift);
      x[i] = e;
      s += e;
    }
    return s;
  }

  /** Σ exp(x[i] - shift) over [off, off+n), x unchanged. */
  public static double sumExpShift(float[] x, int off, int n, float shift) {
    if (VECTOR) {
      return VectorKernels.sumExpShift(x, off, n, shift);
    }
    double s = 0;
    for (int i = off; i < off + n; i++) {
      s += Math.exp(x[i] - shift);
    }
    return s;
  }

  /** x[off, off+n) *= a. */
  public static void scale(float[] x, int off, int n, float a) {
    if (VECTOR) {
      VectorKernels.scale(x, off, n, a);
      return;
    }
    for (int i = off; i < off + n; i++) {
      x[i] *= a;
    }
  }

  /** dst += src (same length). */
  public static void add(float[] src, float[] dst) {
    if (VECTOR) {
      VectorKernels.add(src, dst);
      return;
    }
    for (int i = 0; i < dst.length; i++) {
      dst[i] += src[i];
    }
  }

  /** Σ x², accumulated in double per block so that millions of terms keep their precision. */
  public static double sumSquares(float[] x) {
    if (VECTOR) {
      return VectorKernels.sumSquares(x);
    }
    double s = 0;
    for (float v : x) {
      s += (double) v * v;
    }
    return s;
  }

  /**
   * One Adam update: m ← β1·m + (1-β1)·g; v ← β2·v + (1-β2)·g²; p ← p - step·m / (√v·invSqrtC2 + ε),
   * where step = lr / (1-β1^t) and invSqrtC2 = 1 / √(1-β2^t).
   */
  public static void adam(float[] p, float[] g, float[] m, float[] v, float b1, float b2, float step,
      float invSqrtC2, float eps) {
    if (VECTOR) {
      VectorKernels.adam(p, g, m, v, b1, b2, step, invSqrtC2, eps);
      return;
    }
    for (int i = 0; i < p.length; i++) {
      float gi = g[i];
      m[i] = b1 * m[i] + (1 - b1) * gi;
      v[i] = b2 * v[i] + (1 - b2) * gi * gi;
      p[i] -= step * m[i] / ((float) Math.sqrt(v[i]) * invSqrtC2 + eps);
    }
  }
}
