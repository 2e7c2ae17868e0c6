package io.sparkrnn.math;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** The Vector API bodies of {@link Kernels}; loaded only when the incubator module is present. */
final class VectorKernels {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  private VectorKernels() {}

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
      FloatVector e = FloatVector.fromArray(S, x, off + i).sub(shift).lanewise(VectorOperators.EXP);
      e.intoArray(x, off + i);
      acc = acc.add(e);
    }
    double s = acc.reduceLanes(VectorOperators.ADD);
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
      acc = acc.add(FloatVector.fromArray(S, x, off + i).sub(shift).lanewise(VectorOperators.EXP));
    }
    double s = acc.reduceLanes(VectorOperators.ADD);
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
      FloatVector e = FloatVector.fromArray(S, x, off + i).neg().lanewise(VectorOperators.EXP);
      one.div(e.add(one)).intoArray(x, off + i);
    }
    for (; i < n; i++) {
      x[off + i] = Activation.sigmoid(x[off + i]);
    }
  }

  static void tanh(float[] x, int off, int n) {
    int i = 0;
    for (; i < S.loopBound(n); i += S.length()) {
      FloatVector.fromArray(S, x, off + i).lanewise(VectorOperators.TANH).intoArray(x, off + i);
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
      double s = acc.reduceLanes(VectorOperators.ADD);
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
