package io.sparkrnn.nn;

import static org.junit.jupiter.api.Assertions.fail;

import io.sparkrnn.math.Rng;
import java.util.function.ToDoubleFunction;

/**
 * Central finite differences against an analytic gradient, in float32: eps 5e-3, loss summed in
 * double, relative error |a - n| / max(|a| + |n|, floor) must stay under 1e-2 with floor 1e-2 (so differences under 1e-4, the float32 noise of the
 * numeric side, always pass).
 */
final class GradCheck {
  static final double EPS = 5e-3;
  static final double TOL = 1e-2;
  static final double FLOOR = 1e-2;

  private GradCheck() {}

  /**
   * Compares analytic[i] with the numeric derivative of loss w.r.t. x[i] for up to {@code samples}
   * coordinates of [from, to) (all of them when the range is small). Fails naming the block.
   */
  static void check(String what, float[] x, int from, int to, float[] analytic, int analyticOff,
      ToDoubleFunction<float[]> loss, int samples, Rng rng) {
    int n = to - from;
    int count = Math.min(n, samples);
    for (int s = 0; s < count; s++) {
      int i = from + (n <= samples ? s : rng.nextInt(n));
      float saved = x[i];
      x[i] = (float) (saved + EPS);
      double up = loss.applyAsDouble(x);
      x[i] = (float) (saved - EPS);
      double down = loss.applyAsDouble(x);
      x[i] = saved;
      double numeric = (up - down) / (2 * EPS);
      double a = analytic[analyticOff + i - from];
      double rel = Math.abs(a - numeric) / Math.max(Math.abs(a) + Math.abs(numeric), FLOOR);
      if (rel > TOL) {
        fail(String.format("%s[%d]: analytic %.6g, numeric %.6g, relative error %.3g", what, i - from, a,
            numeric, rel));
      }
    }
  }

  static float[] random(int n, double scale, Rng rng) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) ((2 * rng.nextDouble() - 1) * scale);
    }
    return a;
  }

  static double dot(float[] a, float[] b, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }
}
