package io.sparkrnn.math;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** {@link GateKernels} on the Vector API: the same operations in the same order, lane by lane. */
final class VectorGateKernels {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  private VectorGateKernels() {}

  static void mul(float[] a, int ao, float[] b, int bo, float[] y, int yo, int n) {
    int k = 0;
    for (; k < S.loopBound(n); k += S.length()) {
      FloatVector.fromArray(S, a, ao + k).mul(FloatVector.fromArray(S, b, bo + k)).intoArray(y, yo + k);
    }
    for (; k < n; k++) {
      y[yo + k] = a[ao + k] * b[bo + k];
    }
  }

  static void addMul(float[] a, int ao, float[] b, int bo, float[] y, int yo, int n) {
    int k = 0;
    for (; k < S.loopBound(n); k += S.length()) {
      FloatVector prod = FloatVector.fromArray(S, a, ao + k).mul(FloatVector.fromArray(S, b, bo + k));
      FloatVector.fromArray(S, y, yo + k).add(prod).intoArray(y, yo + k);
    }
    for (; k < n; k++) {
      y[yo + k] += a[ao + k] * b[bo + k];
    }
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
    for (; k < n; k++) {
      float iv = gates[gi + k];
      float ov = gates[go + k];
      float uv = gates[gu + k];
      float tcv = tanhC[t + k];
      float dc = dC[d + k] + dH[d + k] * ov * (1f - tcv * tcv);
      dC[d + k] = dc;
      dGates[di + k] = dc * uv * iv * (1f - iv);
      dGates[dO + k] = dH[d + k] * tcv * ov * (1f - ov);
      dGates[du + k] = dc * iv * (1f - uv * uv);
    }
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
    for (; k < n; k++) {
      float gv = f[fo + k];
      float dc = dC[d + k];
      dF[df + k] = dc * c[child + k] * gv * (1f - gv);
      dC[dChild + k] += dc * gv;
    }
  }
}
