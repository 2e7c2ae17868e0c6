package io.sparkrnn.word2vec;

/**
 * The negative-sampling objective for one input vector h (a word's input vector in skip-gram, the mean of the
 * context's in CBOW) against one positive target o and negatives k_1..k_n:
 * L = −log σ(u_o·h) − Σ_i log σ(−u_{k_i}·h), with u the output vectors. One call is the SGD step of the C tool:
 * each output row moves by −α·∂L/∂u as soon as its score is known, and −α·∂L/∂h is added to {@code hGrad} for the
 * caller to apply to the input vectors.
 */
public final class NegativeSampling {
  private NegativeSampling() {}

  /**
   * targets[0] is the positive word, targets[1..n) the negatives; output row t starts at {@code spec.outputRow(t)}
   * of {@code params}. Returns L; with {@code alpha} 0 nothing moves and hGrad gets nothing.
   */
  public static double step(Word2VecSpec spec, float[] params, float[] h, int[] targets, int n, float alpha,
      float[] hGrad) {
    int dim = spec.dim();
    double loss = 0;
    for (int d = 0; d < n; d++) {
      int row = spec.outputRow(targets[d]);
      float f = 0;
      for (int j = 0; j < dim; j++) {
        f += h[j] * params[row + j];
      }
      boolean positive = d == 0;
      loss += softplus(positive ? -f : f);
      if (alpha == 0) {
        continue;
      }
      float g = (float) (((positive ? 1 : 0) - sigmoid(f)) * alpha); // −α·∂L/∂f
      for (int j = 0; j < dim; j++) {
        hGrad[j] += g * params[row + j];
        params[row + j] += g * h[j];
      }
    }
    return loss;
  }

  static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  /** log(1 + e^x) without overflow: −log σ(−x). */
  static double softplus(double x) {
    return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  }
}
