package io.sparkrnn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Each rule against two steps worked out by hand, and clipping on a known vector. */
class OptimizerTest {
  private static final float[] G1 = {0.5f, -1f};
  private static final float[] G2 = {0.25f, 2f};

  private static float[] twoSteps(Optimizer o, float lr) {
    float[] p = {1f, 2f};
    o.step(p, G1, lr);
    o.step(p, G2, lr);
    return p;
  }

  @Test
  void sgd() {
    // p - 0.1·g1 - 0.1·g2
    assertArrayEquals(new float[] {0.925f, 1.9f}, twoSteps(new Sgd(2, 0), 0.1f), 1e-6f);
  }

  @Test
  void momentum() {
    // v1 = -0.1·g1 = (-0.05, 0.1); v2 = 0.9·v1 - 0.1·g2 = (-0.07, -0.11); p = p0 + v1 + v2
    assertArrayEquals(new float[] {0.88f, 1.99f}, twoSteps(new Sgd(2, 0.9), 0.1f), 1e-6f);
  }

  @Test
  void adagrad() {
    // h1 = g1² = (0.25, 1): step 0.1·g1/√h1 = (0.1, -0.1); h2 = (0.3125, 5): step 0.1·g2/√h2 = (0.0447214, 0.0894427)
    assertArrayEquals(new float[] {1f - 0.1f - 0.0447214f, 2f + 0.1f - 0.0894427f},
        twoSteps(new AdaGrad(2, 0), 0.1f), 1e-6f);
  }

  @Test
  void rmsprop() {
    // ρ = 0.9: h1 = 0.1·g1² = (0.025, 0.1); h2 = 0.9·h1 + 0.1·g2² = (0.02875, 0.49)
    double s1a = 0.1 * 0.5 / Math.sqrt(0.025);
    double s1b = 0.1 * -1 / Math.sqrt(0.1);
    double s2a = 0.1 * 0.25 / Math.sqrt(0.02875);
    double s2b = 0.1 * 2 / Math.sqrt(0.49);
    assertArrayEquals(new float[] {(float) (1 - s1a - s2a), (float) (2 - s1b - s2b)},
        twoSteps(new RmsProp(2, 0.9, 0), 0.1f), 1e-6f);
  }

  @Test
  void adam() {
    // Step 1: m̂ = g1, v̂ = g1², so the step is lr·sign(g1). Step 2 with β1 = 0.9, β2 = 0.999:
    // m = 0.09·g1 + 0.1·g2, v = 0.000999·g1² + 0.001·g2², m̂ = m/0.19, v̂ = v/0.001999.
    double[] expect = new double[2];
    double[] p0 = {1, 2};
    for (int i = 0; i < 2; i++) {
      double m = 0.09 * G1[i] + 0.1 * G2[i];
      double v = 0.000999 * G1[i] * G1[i] + 0.001 * G2[i] * G2[i];
      expect[i] = p0[i] - 0.1 * Math.signum(G1[i]) - 0.1 * (m / 0.19) / Math.sqrt(v / 0.001999);
    }
    float[] got = twoSteps(new Adam(2, 0.9, 0.999, 0), 0.1f);
    assertEquals(expect[0], got[0], 1e-5);
    assertEquals(expect[1], got[1], 1e-5);
  }

  @Test
  void clipScalesToTheMaximumNormAndReportsTheOldNorm() {
    float[] g = {3f, 4f};
    assertEquals(5.0, GradClip.clip(g, 1.0), 1e-9);
    assertArrayEquals(new float[] {0.6f, 0.8f}, g, 1e-5f);
    float[] small = {0.3f, 0.4f};
    GradClip.clip(small, 1.0);
    assertArrayEquals(new float[] {0.3f, 0.4f}, small);
  }

  @Test
  void averageAndClipOnAVectorLongEnoughToRunInChunks() {
    int n = 1_000_000;
    float[] g = new float[n];
    double sq = 0;
    for (int i = 0; i < n; i++) {
      g[i] = (i % 11) - 5f;
      sq += (double) (g[i] * 0.25f) * (g[i] * 0.25f);
    }
    float[] averaged = g.clone();
    assertEquals(Math.sqrt(sq), GradClip.averageAndClip(averaged, 0.25f, 0), 1e-6 * Math.sqrt(sq));
    assertEquals(g[12] * 0.25f, averaged[12]);
    float[] clipped = g.clone();
    GradClip.averageAndClip(clipped, 0.25f, 1.0);
    assertEquals(1.0, GradClip.clip(clipped.clone(), 0), 1e-5);
  }

  @Test
  void schedules() {
    assertEquals(0.1f, new LrSchedule("constant", 0.1, 0.5, 1, 0).at(99, 100, 3), 1e-9);
    LrSchedule step = new LrSchedule("step", 1, 0.5, 1, 0);
    assertEquals(1f, step.at(0, 100, 0), 1e-9);
    assertEquals(0.25f, step.at(0, 100, 2), 1e-9);
    assertEquals(0.5f, new LrSchedule("cosine", 1, 0, 0, 0).at(50, 100, 0), 1e-6);
    assertEquals(0.25f, new LrSchedule("constant", 1, 0, 0, 4).at(0, 100, 0), 1e-9);
  }
}
