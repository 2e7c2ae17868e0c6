package io.sparkrnn.optim;

import io.sparkrnn.math.Kernels;
import io.sparkrnn.math.Parallel;

/** Clipping by global L2 norm (Pascanu et al. 2013), as torch.nn.utils.clip_grad_norm_. */
public final class GradClip {
  private GradClip() {}

  /**
   * Scales grad in place by maxNorm / norm when its norm exceeds maxNorm (maxNorm ≤ 0: never) and
   * returns the norm before clipping.
   */
  public static double clip(float[] grad, double maxNorm) {
    return averageAndClip(grad, 1f, maxNorm);
  }

  /**
   * Multiplies grad by {@code scale} (1 / tokens turns a gradient sum into the mean), then clips it as
   * {@link #clip} does; returns the norm of the mean before clipping. Averaging and the norm share one pass.
   */
  public static double averageAndClip(float[] grad, float scale, double maxNorm) {
    double norm = Math.sqrt(Parallel.sum(grad.length, (from, to) -> Kernels.scaleSumSquares(grad, from, to - from,
        scale)));
    float f = factor(norm, maxNorm);
    if (f != 1f) {
      Parallel.forRanges(grad.length, (from, to) -> Kernels.scale(grad, from, to - from, f));
    }
    return norm;
  }

  /** The factor that clipping multiplies a gradient of norm {@code norm} by: 1 when it is within maxNorm. */
  public static float factor(double norm, double maxNorm) {
    return maxNorm > 0 && norm > maxNorm ? (float) (maxNorm / (norm + 1e-6)) : 1f;
  }
}
