package io.sparkrnn.optim;

/** Clipping by global L2 norm (Pascanu et al. 2013), as torch.nn.utils.clip_grad_norm_. */
public final class GradClip {
  private GradClip() {}

  /** The L2 norm of the whole vector, accumulated in double. */
  public static double norm(float[] grad) {
    return Math.sqrt(io.sparkrnn.math.Kernels.sumSquares(grad));
  }

  /**
   * Scales grad in place by maxNorm / norm when its norm exceeds maxNorm (maxNorm ≤ 0: never) and
   * returns the norm before clipping.
   */
  public static double clip(float[] grad, double maxNorm) {
    double norm = norm(grad);
    if (maxNorm > 0 && norm > maxNorm) {
      io.sparkrnn.math.Kernels.scale(grad, 0, grad.length, (float) (maxNorm / (norm + 1e-6)));
    }
    return norm;
  }
}
