package io.sparkrnn.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The vectorised kernels against plain double-precision loops, on odd lengths and offsets. */
class KernelsTest {
  private static float[] random(int n, double scale, long seed) {
    Rng rng = new Rng(seed);
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (rng.nextGaussian() * scale);
    }
    return a;
  }

  @Test
  void theVectorPathIsTheOneUnderTest() {
    assertTrue(Kernels.vectorised(), "the tests run with --add-modules jdk.incubator.vector");
  }

  @Test
  void maxExpAndScaleMatchPlainLoops() {
    float[] x = random(1003, 4, 1);
    int off = 5;
    int n = 997;
    float max = Float.NEGATIVE_INFINITY;
    for (int i = off; i < off + n; i++) {
      max = Math.max(max, x[i]);
    }
    assertEquals(max, Kernels.max(x, off, n));
    double expect = 0;
    for (int i = off; i < off + n; i++) {
      expect += Math.exp(x[i] - max);
    }
    assertEquals(expect, Kernels.sumExpShift(x, off, n, max), 1e-5 * expect);
    float[] y = x.clone();
    assertEquals(expect, Kernels.expShiftSum(y, off, n, max), 1e-5 * expect);
    for (int i = off; i < off + n; i++) {
      assertEquals(Math.exp(x[i] - max), y[i], 1e-6 * Math.exp(x[i] - max) + 1e-30);
    }
    assertEquals(x[0], y[0]);
    Kernels.scale(y, off, n, 0.5f);
    assertEquals((float) (0.5 * Math.exp(x[off + 7] - max)), y[off + 7], 1e-6);
  }

  @Test
  void sumSquaresAndAdd() {
    float[] x = random(100_003, 1, 2);
    double expect = 0;
    for (float v : x) {
      expect += (double) v * v;
    }
    assertEquals(expect, Kernels.sumSquares(x), 1e-6 * expect);
    float[] y = random(100_003, 1, 3);
    float[] sum = y.clone();
    Kernels.add(x, sum);
    for (int i = 0; i < x.length; i += 997) {
      assertEquals(x[i] + y[i], sum[i]);
    }
  }

  @Test
  void adamMatchesTheScalarFormula() {
    int n = 37;
    float[] p = random(n, 1, 4);
    float[] g = random(n, 1, 5);
    float[] m = random(n, 0.1, 6);
    float[] v = random(n, 0.1, 7);
    for (int i = 0; i < n; i++) {
      v[i] = Math.abs(v[i]);
    }
    float[] p2 = p.clone();
    float[] m2 = m.clone();
    float[] v2 = v.clone();
    Kernels.adam(p, g, m, v, 0.9f, 0.999f, 0.01f, 3f, 1e-8f);
    for (int i = 0; i < n; i++) {
      double mi = 0.9 * m2[i] + 0.1 * g[i];
      double vi = 0.999 * v2[i] + 0.001 * g[i] * g[i];
      assertEquals(mi, m[i], 1e-6);
      assertEquals(vi, v[i], 1e-6);
      assertEquals(p2[i] - 0.01 * mi / (Math.sqrt(vi) * 3 + 1e-8), p[i], 1e-5);
    }
  }
}
