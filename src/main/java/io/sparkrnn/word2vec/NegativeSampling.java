package io.sparkrnn.word2vec;

import io.sparkrnn.math.Kernels;

/**
 * The negative-sampling objective for one input vector h (a word's input vector in skip-gram, the mean of the
 * context's in CBOW) against one positive target o and negatives k_1..k_n:
 * L = −log σ(u_o·h) − Σ_i log σ(−u_{k_i}·h), with u the output vectors. One call is the SGD step of the C tool:
 * each output row moves by −α·∂L/∂u as soon as its score is known, and −α·∂L/∂h is added to {@code hGrad} for the
 * caller to apply to the input vectors. {@code scratch} is {@link Kernels#dotScratch}'s.
 */
public final class NegativeSampling {
  /**
   * σ(x) and −log σ(x) come from tables over [−RANGE, RANGE], read with linear interpolation (error below 1e-6),
   * as the C tool and gensim read theirs; an exp and a log per score cost as much as the score's dot product.
   */
  private static final double RANGE = 8;
  private static final int SLOTS = 4096;
  private static final double SCALE = SLOTS / (2 * RANGE);
  private static final float[] SIGMOID = table(x -> 1 / (1 + Math.exp(-x)));
  private static final float[] MINUS_LOG_SIGMOID = table(x -> Math.log1p(Math.exp(-x)));

  private NegativeSampling() {}

  /**
   * The output vectors of the positive word and the negatives start at {@code rowAt[0]} and {@code rowAt[1..n)} of
   * {@code table}; h and hGrad have {@code dim} values. Returns L; with {@code alpha} 0 nothing moves and hGrad
   * gets nothing.
   */
  public static double step(float[] table, int[] rowAt, int n, float[] h, int dim, float alpha, float[] hGrad,
      float[] scratch) {
    double loss = 0;
    for (int d = 0; d < n; d++) {
      int row = rowAt[d];
      float f = Kernels.dot(h, 0, table, row, dim, scratch);
      boolean positive = d == 0;
      loss += minusLogSigmoid(positive ? f : -f);
      if (alpha == 0) {
        continue;
      }
      float g = (float) (((positive ? 1 : 0) - sigmoid(f)) * alpha); // −α·∂L/∂f
      Kernels.axpy(g, table, row, hGrad, 0, dim); // before the row moves: ∂L/∂h at the scores above
      Kernels.axpy(g, h, 0, table, row, dim);
    }
    return loss;
  }

  static double sigmoid(double x) {
    return Math.abs(x) < RANGE ? read(SIGMOID, x) : 1 / (1 + Math.exp(-x));
  }

  /** −log σ(x) = log(1 + e^−x). */
  static double minusLogSigmoid(double x) {
    return Math.abs(x) < RANGE ? read(MINUS_LOG_SIGMOID, x) : Math.max(-x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  }

  private static double read(float[] t, double x) {
    double at = (x + RANGE) * SCALE;
    int i = (int) at;
    double w = at - i;
    return t[i] + w * (t[i + 1] - t[i]);
  }

  private static float[] table(java.util.function.DoubleUnaryOperator f) {
    float[] t = new float[SLOTS + 1];
    for (int i = 0; i <= SLOTS; i++) {
      t[i] = (float) f.applyAsDouble(i / SCALE - RANGE);
    }
    return t;
  }
}
