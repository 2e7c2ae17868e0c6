package io.sparkrnn.nn;

/**
 * Squared error Σ mask_r · Σ_j (y_rj - t_rj)² with gradient 2·(y - t) on the rows that count. The
 * caller divides by the number of counted rows, like the token count of the cross-entropy, so the
 * reported value is the mean over rows of the summed squared error per row.
 */
public final class MeanSquaredError {
  private MeanSquaredError() {}

  /**
   * y and target are (N, D); mask (N) may be null (all rows count). Writes grad(N, D) when it is not
   * null (zero on masked rows) and returns the summed squared error in double.
   */
  public static double forwardBackward(float[] y, float[] target, float[] mask, int rows, int dim, float[] grad) {
    double loss = 0;
    for (int r = 0; r < rows; r++) {
      boolean on = mask == null || mask[r] != 0f;
      for (int j = r * dim; j < (r + 1) * dim; j++) {
        float d = on ? y[j] - target[j] : 0f;
        loss += (double) d * d;
        if (grad != null) {
          grad[j] = 2f * d;
        }
      }
    }
    return loss;
  }
}
