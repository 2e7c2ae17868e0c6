package io.sparkrnn.word2vec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkrnn.math.Rng;
import org.junit.jupiter.api.Test;

/**
 * The negative-sampling step against central finite differences of its loss: with α = 1 the correction it hands
 * back for h is −∂L/∂h and every output row it moves moves by −∂L/∂u.
 */
class NegativeSamplingTest {
  private static final Word2VecSpec SPEC = new Word2VecSpec(7, 5, false, 2, 3, 0);
  private static final int[] TARGETS = {2, 4, 0, 6};
  private static final double EPS = 1e-3;

  @Test
  void theStepMovesEveryVectorByMinusTheGradientOfTheLoss() {
    Rng rng = new Rng(3);
    float[] params = new float[SPEC.paramCount()];
    for (int i = 0; i < params.length; i++) {
      params[i] = (float) rng.nextGaussian();
    }
    float[] h = new float[SPEC.dim()];
    for (int j = 0; j < h.length; j++) {
      h[j] = (float) rng.nextGaussian();
    }
    float[] moved = params.clone();
    float[] hGrad = new float[SPEC.dim()];
    double loss = NegativeSampling.step(moved, rows(), TARGETS.length, h, SPEC.dim(), 1f, hGrad,
        io.sparkrnn.math.Kernels.dotScratch());
    assertEquals(loss(params, h), loss, 1e-5 * Math.abs(loss));
    for (int j = 0; j < h.length; j++) {
      float saved = h[j];
      h[j] = (float) (saved + EPS);
      double up = loss(params, h);
      h[j] = (float) (saved - EPS);
      double down = loss(params, h);
      h[j] = saved;
      assertEquals(-(up - down) / (2 * EPS), hGrad[j], 2e-3, "dL/dh[" + j + "]");
    }
    for (int i = 0; i < params.length; i++) {
      float saved = params[i];
      params[i] = (float) (saved + EPS);
      double up = loss(params, h);
      params[i] = (float) (saved - EPS);
      double down = loss(params, h);
      params[i] = saved;
      assertEquals(-(up - down) / (2 * EPS), moved[i] - params[i], 2e-3, "dL/dparams[" + i + "]");
    }
  }

  @Test
  void theSigmoidTablesAreWithinAMillionthOfTheFormulas() {
    for (double x = -12; x <= 12; x += 0.001237) {
      assertEquals(1 / (1 + Math.exp(-x)), NegativeSampling.sigmoid(x), 1e-6, "sigmoid(" + x + ")");
      assertEquals(Math.log1p(Math.exp(-x)), NegativeSampling.minusLogSigmoid(x), 1e-6, "-log sigmoid(" + x + ")");
    }
  }

  @Test
  void withoutARateNothingMoves() {
    float[] params = new float[SPEC.paramCount()];
    java.util.Arrays.fill(params, 0.3f);
    float[] h = {1, -1, 0.5f, 0, 2};
    float[] hGrad = new float[SPEC.dim()];
    float[] before = params.clone();
    NegativeSampling.step(params, rows(), TARGETS.length, h, SPEC.dim(), 0f, hGrad,
        io.sparkrnn.math.Kernels.dotScratch());
    org.junit.jupiter.api.Assertions.assertArrayEquals(before, params);
    org.junit.jupiter.api.Assertions.assertArrayEquals(new float[SPEC.dim()], hGrad);
  }

  /** Where the targets' output rows start. */
  private static int[] rows() {
    int[] at = new int[TARGETS.length];
    for (int d = 0; d < at.length; d++) {
      at[d] = SPEC.outputRow(TARGETS[d]) * SPEC.dim();
    }
    return at;
  }

  /** L = −log σ(u_o·h) − Σ log σ(−u_k·h), in double. */
  private static double loss(float[] params, float[] h) {
    double l = 0;
    for (int d = 0; d < TARGETS.length; d++) {
      double f = 0;
      for (int j = 0; j < h.length; j++) {
        f += h[j] * params[SPEC.outputRow(TARGETS[d]) * SPEC.dim() + j];
      }
      double s = 1 / (1 + Math.exp(-f));
      l -= Math.log(d == 0 ? s : 1 - s);
    }
    return l;
  }
}
