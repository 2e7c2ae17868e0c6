package io.sparkrnn.math;

import org.slf4j.LoggerFactory;

/**
 * Element-wise loops over large float arrays that decide the speed outside BLAS: the softmax over the
 * vocabulary (one exp per logit), the gate non-linearities, the gradient sum, its norm and the Adam update. They run on the JDK's
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

  /**
   * x[off, off+n) replaced with σ(x) = 1 / (1 + e^-x). The vector form needs no branch: e^-x
   * overflows to +∞ for very negative x, and 1 / (1 + ∞) is the correct limit 0.
   */
  public static void sigmoid(float[] x, int off, int n) {
    if (VECTOR) {
      VectorKernels.sigmoid(x, off, n);
      return;
    }
    for (int i = off; i < off + n; i++) {
      x[i] = Activation.sigmoid(x[i]);
    }
  }

  /** x[off, off+n) replaced with tanh(x). */
  public static void tanh(float[] x, int off, int n) {
    if (VECTOR) {
      VectorKernels.tanh(x, off, n);
      return;
    }
    for (int i = off; i < off + n; i++) {
      x[i] = (float) Math.tanh(x[i]);
    }
  }

  /** A scratch array for {@link #dot}: one float per vector lane. */
  public static float[] dotScratch() {
    return new float[VECTOR ? VectorKernels.lanes() : 1];
  }

  /**
   * Σ a[ao + i]·b[bo + i] over i in [0, n), in float (word2vec's scores: rows of about a hundred values, many
   * calls). The vector lanes go through {@code scratch} (from {@link #dotScratch}) and are added in lane order, so
   * the result does not depend on when the JIT compiled the loop (reduceLanes leaves the order open); measured
   * here, 26 ns for 100 values against 53 for a scalar loop of four partial sums.
   */
  public static float dot(float[] a, int ao, float[] b, int bo, int n, float[] scratch) {
    if (VECTOR) {
      return VectorKernels.dot(a, ao, b, bo, n, scratch);
    }
    float s = 0;
    for (int i = 0; i < n; i++) {
      s += a[ao + i] * b[bo + i];
    }
    return s;
  }

  /** y[yo, yo+n) += alpha · x[xo, xo+n). */
  public static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
    if (VECTOR) {
      VectorKernels.axpy(alpha, x, xo, y, yo, n);
      return;
    }
    for (int i = 0; i < n; i++) {
      y[yo + i] += alpha * x[xo + i];
    }
  }

  /** dst[off, off+n) += src[off, off+n). */
  public static void add(float[] src, float[] dst, int off, int n) {
    if (VECTOR) {
      VectorKernels.add(src, dst, off, n);
      return;
    }
    for (int i = off; i < off + n; i++) {
      dst[i] += src[i];
    }
  }

  /** dst[off, off+n) += the little-endian float32 values in src from byte {@code byteAt} (absolute). */
  public static void addFromBytes(java.nio.ByteBuffer src, int byteAt, float[] dst, int off, int n) {
    if (VECTOR) {
      VectorKernels.addFromBytes(src, byteAt, dst, off, n);
      return;
    }
    java.nio.ByteBuffer le = src.duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      dst[off + i] += le.getFloat(byteAt + 4 * i);
    }
  }

  /** Whether any of x[off, off+n) is not zero. */
  public static boolean anyNonZero(float[] x, int off, int n) {
    if (VECTOR) {
      return VectorKernels.anyNonZero(x, off, n);
    }
    for (int i = off; i < off + n; i++) {
      if (x[i] != 0f) {
        return true;
      }
    }
    return false;
  }

  /**
   * Multiplies x[off, off+n) by a in place and returns Σ (a·x)² of the results, accumulated in double per
   * short block so that millions of terms keep their precision: averaging and the norm for clipping in one pass.
   */
  public static double scaleSumSquares(float[] x, int off, int n, float a) {
    if (VECTOR) {
      return VectorKernels.scaleSumSquares(x, off, n, a);
    }
    double s = 0;
    for (int i = off; i < off + n; i++) {
      x[i] *= a;
      s += (double) x[i] * x[i];
    }
    return s;
  }

  /**
   * One Adam update of [from, to): m ← β1·m + (1-β1)·g; v ← β2·v + (1-β2)·g²; p ← p - step·m / (√v·invSqrtC2 + ε),
   * where step = lr / (1-β1^t) and invSqrtC2 = 1 / √(1-β2^t).
   */
  public static void adam(float[] p, float[] g, float[] m, float[] v, float b1, float b2, float step,
      float invSqrtC2, float eps, int from, int to) {
    if (VECTOR) {
      VectorKernels.adam(p, g, m, v, b1, b2, step, invSqrtC2, eps, from, to);
      return;
    }
    for (int i = from; i < to; i++) {
      float gi = g[i];
      m[i] = b1 * m[i] + (1 - b1) * gi;
      v[i] = b2 * v[i] + (1 - b2) * gi * gi;
      p[i] -= step * m[i] / ((float) Math.sqrt(v[i]) * invSqrtC2 + eps);
    }
  }
}
