package io.sparkrnn.math;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link GateKernels} on the Vector API: the same operations in the same order, lane by lane; the elements past the
 * last full vector go to the plain loops.
 */
final class VectorGateKernels {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  private VectorGateKernels() {}

  static void mul(float[] a, int ao, float[] b, int bo, float[] y, int yo, int n) {
    int k = 0;
    for (; k < S.loopBound(n); k += S.length()) {
      FloatVector.fromArray(S, a, ao + k).mul(FloatVector.fromArray(S, b, bo + k)).intoArray(y, yo + k);
    }
    GateKernels.mul(k, a, ao, b, bo, y, yo, n);
  }

  static void addMul(float[] a, int ao, float[] b, int bo, float[] y, int yo, int n) {
    int k = 0;
    for (; k < S.loopBound(n); k += S.length()) {
      FloatVector prod = FloatVector.fromArray(S, a, ao + k).mul(FloatVector.fromArray(S, b, bo + k));
      FloatVector.fromArray(S, y, yo + k).add(prod).intoArray(y, yo + k);
    }
    GateKernels.addMul(k, a, ao, b, bo, y, yo, n);
  }

  static void cellBackward(float[] gates, int gi, int go, int gu, float[] tanhC, int t, float[] dH, float[] dC,
      int d, float[] dGates, int di, int dO, int du, int n) {
    int k = 0;
    for (; k < S.loopBound(n); k += S.length()) {
      FloatVector i = FloatVector.fromArray(S, gates, gi + k);
      FloatVector o = FloatVector.fromArray(S, gates, go + k);
      FloatVector u = FloatVector.fromArray(S, gates, gu + k);
      FloatVector tc = FloatVector.fromArray(S, tanhC, t + k);
      FloatVector dh = FloatVector.fromArray(S, dH, d + k);
      FloatVector dc = FloatVector.fromArray(S, dC, d + k).add(dh.mul(o).mul(tc.mul(tc).neg().add(1f)));
      dc.intoArray(dC, d + k);
      dc.mul(u).mul(i).mul(i.neg().add(1f)).intoArray(dGates, di + k);
      dh.mul(tc).mul(o).mul(o.neg().add(1f)).intoArray(dGates, dO + k);
      dc.mul(i).mul(u.mul(u).neg().add(1f)).intoArray(dGates, du + k);
    }
    GateKernels.cellBackward(k, gates, gi, go, gu, tanhC, t, dH, dC, d, dGates, di, dO, du, n);
  }

  static void forgetBackward(float[] dC, int d, float[] c, int child, float[] f, int fo, float[] dF, int df,
      int dChild, int n) {
    int k = 0;
    for (; k < S.loopBound(n); k += S.length()) {
      FloatVector g = FloatVector.fromArray(S, f, fo + k);
      FloatVector dc = FloatVector.fromArray(S, dC, d + k);
      dc.mul(FloatVector.fromArray(S, c, child + k)).mul(g).mul(g.neg().add(1f)).intoArray(dF, df + k);
      FloatVector.fromArray(S, dC, dChild + k).add(dc.mul(g)).intoArray(dC, dChild + k);
    }
    GateKernels.forgetBackward(k, dC, d, c, child, f, fo, dF, df, dChild, n);
  }
}
