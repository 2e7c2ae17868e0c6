package io.sparkrnn.nn;

/**
 * AWD-LSTM's activation penalties on the last layer's output (T, B, H), in the summed form of this project's
 * losses: per predicted token (target ≥ 0), the mean over the H features, so that the step's division by its
 * tokens gives a mean over tokens, as AWD's means do. Each returns its value and adds its gradient into dh
 * when dh is not null.
 */
final class Penalties {
  private Penalties() {}

  /** AR: α Σ_rows Σ_j h² / H. */
  static double activation(double alpha, float[] h, int[] targets, int rows, int hidden, float[] dh) {
    double sum = 0;
    float c = (float) (2 * alpha / hidden);
    for (int r = 0; r < rows; r++) {
      if (targets[r] < 0) {
        continue;
      }
      for (int j = r * hidden; j < (r + 1) * hidden; j++) {
        sum += (double) h[j] * h[j];
        if (dh != null) {
          dh[j] += c * h[j];
        }
      }
    }
    return alpha * sum / hidden;
  }

  /** TAR: β Σ_t≥1 Σ_j (h_t − h_{t−1})² / H over the steps of each stream where both tokens are predicted. */
  static double temporal(double beta, float[] h, int[] targets, int steps, int batch, int hidden, float[] dh) {
    double sum = 0;
    float c = (float) (2 * beta / hidden);
    for (int r = batch; r < steps * batch; r++) {
      int prev = r - batch;
      if (targets[r] < 0 || targets[prev] < 0) {
        continue;
      }
      for (int j = 0; j < hidden; j++) {
        float diff = h[r * hidden + j] - h[prev * hidden + j];
        sum += (double) diff * diff;
        if (dh != null) {
          dh[r * hidden + j] += c * diff;
          dh[prev * hidden + j] -= c * diff;
        }
      }
    }
    return beta * sum / hidden;
  }
}
