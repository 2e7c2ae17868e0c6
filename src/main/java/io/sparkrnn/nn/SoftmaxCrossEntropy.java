package io.sparkrnn.nn;

import io.sparkrnn.math.Kernels;

/**
 * Softmax and negative log-likelihood in one pass over each row of logits, in place: the logits
 * buffer becomes the gradient p - onehot(target), so no second (N, V) array is ever needed.
 * A negative target marks a padded row: it adds no loss and its gradient row is zero.
 */
public final class SoftmaxCrossEntropy {
  private SoftmaxCrossEntropy() {}

  /**
   * Returns Σ -log p(target) over the rows with a target (in double). When {@code grad} is true,
   * logits(N, V) are overwritten with the gradient of that sum; otherwise they are left as they are.
   */
  public static double forwardBackward(float[] logits, int rows, int vocab, int[] targets, boolean grad) {
    return forwardBackward(logits, rows, vocab, targets, 0, grad);
  }

  /** The same with the targets of the rows from targets[targetOffset]. */
  public static double forwardBackward(float[] logits, int rows, int vocab, int[] targets, int targetOffset,
      boolean grad) {
    double loss = 0;
    for (int r = 0; r < rows; r++) {
      int base = r * vocab;
      int target = targets[targetOffset + r];
      if (target >= vocab) {
        throw new IllegalArgumentException("target " + target + " outside the vocabulary of " + vocab);
      }
      if (target < 0) {
        if (grad) {
          java.util.Arrays.fill(logits, base, base + vocab, 0f);
        }
        continue;
      }
      // Subtracting the row max keeps every exp argument ≤ 0, so nothing overflows.
      float max = Kernels.max(logits, base, vocab);
      float targetLogit = logits[base + target];
      double sum;
      if (grad) {
        // One exp per logit: keep e_j = exp(l_j - max) in place, then scale by 1/Σe to get p - onehot.
        sum = Kernels.expShiftSum(logits, base, vocab, max);
        Kernels.scale(logits, base, vocab, (float) (1.0 / sum));
        logits[base + target] -= 1f;
      } else {
        sum = Kernels.sumExpShift(logits, base, vocab, max);
      }
      loss += max + Math.log(sum) - targetLogit;
    }
    return loss;
  }

  /** Number of rows with a target (the tokens that count for the loss). */
  public static long count(int[] targets, int rows) {
    long n = 0;
    for (int r = 0; r < rows; r++) {
      if (targets[r] >= 0) {
        n++;
      }
    }
    return n;
  }
}
