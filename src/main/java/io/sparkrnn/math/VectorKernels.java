package io.sparkrnn.math;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** The Vector API bodies of {@link Kernels}; loaded only when the incubator module is present. */
final class VectorKernels {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  private VectorKernels() {}

  private static final float ROUND = 12582912f; // 1.5·2^23: x + ROUND - ROUND rounds x to an integer
  private static final float EXP_MAX = 88.3762626647949f; // the largest x whose 2^n is a float (n = 127)
  private static final float EXP_MIN = -87.33654475f; // the smallest x whose 2^n is normal (n = -126)
  private static final FloatVector LOG2E = FloatVector.broadcast(S, 1.44269504088896341f);
  private static final FloatVector VROUND = FloatVector.broadcast(S, ROUND);
  // ln 2 = LN2_HI + LN2_LO, LN2_HI with few enough bits that n·LN2_HI is exact
  private static final FloatVector NEG_LN2_HI = FloatVector.broadcast(S, -0.693359375f);
  private static final FloatVector NEG_LN2_LO = FloatVector.broadcast(S, 2.12194440e-4f);
  private static final FloatVector P0 = FloatVector.broadcast(S, 1.9875691500e-4f);
  private static final FloatVector P1 = FloatVector.broadcast(S, 1.3981999507e-3f);
  private static final FloatVector P2 = FloatVector.broadcast(S, 8.3334519073e-3f);
  private static final FloatVector P3 = FloatVector.broadcast(S, 4.1665795894e-2f);
  private static final FloatVector P4 = FloatVector.broadcast(S, 1.6666665459e-1f);
  private static final FloatVector P5 = FloatVector.broadcast(S, 5.0000001201e-1f);

  /**
   * e^x lane by lane from adds, multiplies and fused multiply-adds only (Cephes expf: x = n·ln2 + r, |r| ≤ ln2/2,
   * a degree-5 polynomial for e^r, then 2^n in the exponent bits; about 1 ulp). VectorOperators.EXP would be
   * faster to write, but its JIT-compiled form rounds differently from its interpreted one, so a run's results
   * would depend on when the compiler got to the loop; these operations round the same way in both. x is clamped
   * to [EXP_MIN, EXP_MAX] (beyond, e^x is about 1e-38 or 2e38, never 0 or infinity), which the callers allow:
   * softmax and tanh take e^x for x ≤ 0 and sigmoid turns 2e38 into σ ≈ 4e-39. NaN stays NaN. Measured here
   * (14,115-wide rows, AVX-512): 0.40 ns per value against 0.33 for VectorOperators.EXP.
   */
  static FloatVector exp(FloatVector x) {
    FloatVector c = x.max(EXP_MIN).min(EXP_MAX);
    FloatVector t = c.fma(LOG2E, VROUND);
    FloatVector n = t.sub(ROUND);
    FloatVector r = n.fma(NEG_LN2_HI, c);
    r = n.fma(NEG_LN2_LO, r);
    FloatVector p = r.fma(P0, P1).fma(r, P2).fma(r, P3).fma(r, P4).fma(r, P5);
    FloatVector y = p.fma(r.mul(r), r).add(1f);
    IntVector bits = t.reinterpretAsInts().sub(Float.floatToRawIntBits(ROUND) - 127)
        .lanewise(VectorOperators.LSHL, 23);
    return y.mul(bits.reinterpretAsFloats());
  }

  /**
   * The lanes of v added in lane order, in double. reduceLanes(ADD) leaves the order open, and the JIT-compiled
   * reduction adds in another order than the interpreted one, so a run's sums would depend on when C2 compiled
   * the loop.
   */
  private static double sumLanes(FloatVector v) {
    double s = 0;
    for (float f : v.toArray()) {
      s += f;
    }
    return s;
  }

  static int lanes() {
    return S.length();
  }

  static float dot(float[] a, int ao, float[] b, int bo, int n, float[] scratch) {
    int i = 0;
    FloatVector acc = FloatVector.zero(S);
    for (; i < S.loopBound(n); i += S.length()) {
      acc = FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i), acc);
    }
    acc.intoArray(scratch, 0);
    float s = 0;
    for (int l = 0; l < S.length(); l++) {
      s += scratch[l];
    }
    for (; i < n; i++) {
      s += a[ao + i] * b[bo + i];
    }
    return s;
  }

  static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
    int i = 0;
    FloatVector a = FloatVector.broadcast(S, alpha);
    for (; i < S.loopBound(n); i += S.length()) {
      FloatVector.fromArray(S, x, xo + i).fma(a, FloatVector.fromArray(S, y, yo + i)).intoArray(y, yo + i);
    }
    for (; i < n; i++) {
      y[yo + i] += alpha * x[xo + i];
    }
  }

  static float max(float[] x, int off, int n) {
    int i = 0;
    FloatVector acc = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
    for (; i < S.loopBound(n); i += S.length()) {
      acc = acc.max(FloatVector.fromArray(S, x, off + i));
    }
    float m = acc.reduceLanes(VectorOperators.MAX);
    for (; i < n; i++) {
      m = Math.max(m, x[off + i]);
    }
    return m;
  }

  static double expShiftSum(float[] x, int off, int n, float shift) {
    int i = 0;
    FloatVector acc = FloatVector.zero(S);
    for (; i < S.loopBound(n); i += S.length()) {
      FloatVector e = exp(FloatVector.fromArray(S, x, off + i).sub(shift));
      e.intoArray(x, off + i);
      acc = acc.add(e);
    }
    double s = sumLanes(acc);
    for (; i < n; i++) {
      float e = (float) Math.exp(x[off + i] - shift);
      x[off + i] = e;
      s += e;
    }
    return s;
  }

  static double sumExpShift(float[] x, int off, int n, float shift) {
    int i = 0;
    FloatVector acc = FloatVector.zero(S);
    for (; i < S.loopBound(n); i += S.length()) {
      acc = acc.add(exp(FloatVector.fromArray(S, x, off + i).sub(shift)));
    }
    double s = sumLanes(acc);
    for (; i < n; i++) {
      s += Math.exp(x[off + i] - shift);
    }
    return s;
  }

  static void scale(float[] x, int off, int n, float a) {
    int i = 0;
    for (; i < S.loopBound(n); i += S.length()) {
      FloatVector.fromArray(S, x, off + i).mul(a).intoArray(x, off + i);
    }
    for (; i < n; i++) {
      x[off + i] *= a;
    }
  }

  static void sigmoid(float[] x, int off, int n) {
    int i = 0;
    FloatVector one = FloatVector.broadcast(S, 1f);
    for (; i < S.loopBound(n); i += S.length()) {
      FloatVector e = exp(FloatVector.fromArray(S, x, off + i).neg());
      one.div(e.add(one)).intoArray(x, off + i);
    }
    for (; i < n; i++) {
      x[off + i] = Activation.sigmoid(x[off + i]);
    }
  }

  static void tanh(float[] x, int off, int n) {
    int i = 0;
    FloatVector one = FloatVector.broadcast(S, 1f);
    for (; i < S.loopBound(n); i += S.length()) {
      // tanh x = sign(x)·(1 - e)/(1 + e) with e = exp(-2|x|) in (0, 1]: no overflow, absolute error ~1e-7.
      FloatVector v = FloatVector.fromArray(S, x, off + i);
      FloatVector e = exp(v.abs().mul(-2f));
      FloatVector t = one.sub(e).div(one.add(e));
      t.blend(t.neg(), v.compare(VectorOperators.LT, 0f)).intoArray(x, off + i);
    }
    for (; i < n; i++) {
      x[off + i] = (float) Math.tanh(x[off + i]);
    }
  }

  static void add(float[] src, float[] dst, int off, int n) {
    int i = 0;
    for (; i < S.loopBound(n); i += S.length()) {
      FloatVector.fromArray(S, dst, off + i).add(FloatVector.fromArray(S, src, off + i)).intoArray(dst, off + i);
    }
    for (; i < n; i++) {
      dst[off + i] += src[off + i];
    }
  }

  static void addFromBytes(ByteBuffer src, int byteAt, float[] dst, int off, int n) {
    int i = 0;
    for (; i < S.loopBound(n); i += S.length()) {
      FloatVector.fromArray(S, dst, off + i)
          .add(FloatVector.fromByteBuffer(S, src, byteAt + 4 * i, ByteOrder.LITTLE_ENDIAN))
          .intoArray(dst, off + i);
    }
    ByteBuffer le = src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    for (; i < n; i++) {
      dst[off + i] += le.getFloat(byteAt + 4 * i);
    }
  }

  static boolean anyNonZero(float[] x, int off, int n) {
    int i = 0;
    for (; i < S.loopBound(n); i += S.length()) {
      if (FloatVector.fromArray(S, x, off + i).compare(VectorOperators.NE, 0f).anyTrue()) {
        return true;
      }
    }
    for (; i < n; i++) {
      if (x[off + i] != 0f) {
        return true;
      }
    }
    return false;
  }

  static double scaleSumSquares(float[] x, int off, int n, float a) {
    double total = 0;
    int block = 1 << 12; // float partial sums over short blocks, added up in double
    for (int start = off; start < off + n; start += block) {
      int len = Math.min(block, off + n - start);
      int i = 0;
      FloatVector acc = FloatVector.zero(S);
      for (; i < S.loopBound(len); i += S.length()) {
        FloatVector v = FloatVector.fromArray(S, x, start + i).mul(a);
        v.intoArray(x, start + i);
        acc = v.fma(v, acc);
      }
      double s = sumLanes(acc);
      for (; i < len; i++) {
        x[start + i] *= a;
        s += (double) x[start + i] * x[start + i];
      }
      total += s;
    }
    return total;
  }

  static void adam(float[] p, float[] g, float[] m, float[] v, float b1, float b2, float step, float invSqrtC2,
      float eps, int from, int to) {
    int i = from;
    float c1 = 1 - b1;
    float c2 = 1 - b2;
    for (; i < from + S.loopBound(to - from); i += S.length()) {
      FloatVector gv = FloatVector.fromArray(S, g, i);
      FloatVector mv = FloatVector.fromArray(S, m, i).mul(b1).add(gv.mul(c1));
      FloatVector vv = FloatVector.fromArray(S, v, i).mul(b2).add(gv.mul(gv).mul(c2));
      mv.intoArray(m, i);
      vv.intoArray(v, i);
      FloatVector denom = vv.lanewise(VectorOperators.SQRT).mul(invSqrtC2).add(eps);
      FloatVector.fromArray(S, p, i).sub(mv.mul(step).div(denom)).intoArray(p, i);
    }
    for (; i < to; i++) {
      float gi = g[i];
      m[i] = b1 * m[i] + c1 * gi;
      v[i] = b2 * v[i] + c2 * gi * gi;
      p[i] -= step * m[i] / ((float) Math.sqrt(v[i]) * invSqrtC2 + eps);
    }
  }
}
