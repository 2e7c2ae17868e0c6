package io.sparkrnn.nn;

/**
 * The last layer of a language model: from hidden rows (N, H) to a normalised distribution over the
 * vocabulary, with the loss of the targets and its gradient. {@link FullSoftmax} scores every word;
 * {@link AdaptiveSoftmax} scores a head of frequent words and the clusters of rarer ones only where a
 * target falls. Stateless like the other layers: buffers live in a {@link Scratch}.
 */
public interface OutputLayer {
  /** Buffers for up to {@code rows} rows at a time. */
  Scratch newScratch(int rows);

  /**
   * Returns Σ −log p(target) over the rows [r0, r0 + n) of {@code h}, their targets from targets[r0] (−1: no
   * prediction). When {@code grad} is not null, adds the gradient of that sum into grad and writes rows
   * [r0, r0 + n) of {@code dh} (overwritten).
   */
  double loss(float[] p, float[] h, int r0, int n, int[] targets, Scratch s, float[] grad, float[] dh);

  /** log p (n, V) of the rows [0, n) of {@code h} into {@code out}. */
  void logProbs(float[] p, float[] h, int n, float[] out);

  /** Buffers of one layer for a number of rows. */
  interface Scratch {}

  /** log-softmax of each of the {@code rows} rows of x (rows, cols) in place, from column {@code off} on. */
  static void logSoftmaxRows(float[] x, int rows, int cols, int stride, int off) {
    for (int r = 0; r < rows; r++) {
      int base = r * stride + off;
      float max = io.sparkrnn.math.Kernels.max(x, base, cols);
      float logZ = (float) (max + Math.log(io.sparkrnn.math.Kernels.sumExpShift(x, base, cols, max)));
      for (int j = 0; j < cols; j++) {
        x[base + j] -= logZ;
      }
    }
  }
}
