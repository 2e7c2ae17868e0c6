package io.sparkrnn.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
  void expIsWithinAnUlpOnTheWholeFloatRangeAndCalledTwiceRoundsTheSame() {
    float[] x = new float[100_003];
    for (int i = 0; i < x.length; i++) {
      x[i] = -87f + 175f * i / x.length;
    }
    float[] y = x.clone();
    Kernels.expShiftSum(y, 0, y.length, 0f);
    for (int i = 0; i < x.length; i++) {
      double e = Math.exp(x[i]);
      assertEquals(e, y[i], 1.5e-7 * e, "exp at " + x[i]);
    }
    // A thousand more calls (the JIT compiles the loop meanwhile) give the same bits as the first.
    for (int k = 0; k < 1000; k++) {
      float[] z = x.clone();
      Kernels.expShiftSum(z, 0, z.length, 0f);
      if (k % 100 == 0 || k == 999) {
        assertArrayEquals(y, z, "call " + k);
      }
    }
  }

  @Test
  void sigmoidAndTanhMatchDoublePrecisionIncludingSaturation() {
    float[] x = random(523, 6, 4);
    x[10] = -200f; // e^200 overflows float: σ must still be 0, not NaN
    x[11] = 200f;
    x[12] = 0f;
    float[] s = x.clone();
    float[] t = x.clone();
    Kernels.sigmoid(s, 3, 517);
    Kernels.tanh(t, 3, 517);
    for (int i = 3; i < 520; i++) {
      assertEquals(1 / (1 + Math.exp(-x[i])), s[i], 2e-7, "sigmoid at " + x[i]);
      assertEquals(Math.tanh(x[i]), t[i], 2e-7, "tanh at " + x[i]);
    }
    assertTrue(s[10] >= 0 && s[10] < 1e-38, "σ(-200) = " + s[10]);
    assertEquals(1f, s[11]);
    assertEquals(x[0], s[0]);
    assertEquals(x[522], t[522]);
  }

  @Test
  void scaleSumSquaresAndAdd() {
    float[] x = random(100_003, 1, 2);
    float[] scaled = x.clone();
    double expect = 0;
    for (int i = 3; i < 100_000; i++) {
      expect += (double) (x[i] * 0.5f) * (x[i] * 0.5f);
    }
    assertEquals(expect, Kernels.scaleSumSquares(scaled, 3, 99_997, 0.5f), 1e-6 * expect);
    assertEquals(x[1], scaled[1]);
    assertEquals(x[500] * 0.5f, scaled[500]);
    float[] y = random(100_003, 1, 3);
    float[] sum = y.clone();
    Kernels.add(x, sum, 1, 100_001);
    assertEquals(y[0], sum[0]);
    assertEquals(y[100_002], sum[100_002]);
    for (int i = 1; i < 100_002; i += 997) {
      assertEquals(x[i] + y[i], sum[i]);
    }
  }

  @Test
  void dotAndAxpyMatchPlainLoopsAtOffsetsAndOddLengths() {
    float[] a = random(301, 1, 7);
    float[] b = random(301, 1, 8);
    for (int n : new int[] {1, 15, 100, 257}) {
      double dot = 0;
      for (int i = 0; i < n; i++) {
        dot += (double) a[3 + i] * b[11 + i];
      }
      assertEquals(dot, Kernels.dot(a, 3, b, 11, n, Kernels.dotScratch()), 1e-5 * n, "dot of " + n);
      float[] y = b.clone();
      Kernels.axpy(-0.3f, a, 3, y, 11, n);
      for (int i = 0; i < b.length; i++) {
        boolean moved = i >= 11 && i < 11 + n;
        assertEquals(moved ? b[i] - 0.3 * a[i - 8] : b[i], y[i], 1e-6, "axpy element " + i + " of " + n);
      }
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
    Kernels.adam(p, g, m, v, 0.9f, 0.999f, 0.01f, 3f, 1e-8f, 0, n);
    for (int i = 0; i < n; i++) {
      double mi = 0.9 * m2[i] + 0.1 * g[i];
      double vi = 0.999 * v2[i] + 0.001 * g[i] * g[i];
      assertEquals(mi, m[i], 1e-6);
      assertEquals(vi, v[i], 1e-6);
      assertEquals(p2[i] - 0.01 * mi / (Math.sqrt(vi) * 3 + 1e-8), p[i], 1e-5);
    }
  }
}
