package io.sparkrnn.optim;

/** Clipping by global L2 norm (Pascanu et al. 2013), as torch.nn.utils.clip_grad_norm_. */
public final class GradClip {
  private GradClip() {}

  /** The L2 norm of the whole vector, accumulated in double. */
  public static double norm(float[] grad) {
    double s = 0;
    for (float g : grad) {
      s += (double) g * g;
    }
    return Math.sqrt(s);
  }

  /**
   * Scales grad in place by maxNorm / norm when its norm exceeds maxNorm (maxNorm ≤ 0: never) and
   * returns the norm before clipping.
   */
  public static double clip(float[] grad, double maxNorm) {
    double norm = norm(grad);
    if (maxNorm > 0 && norm > maxNorm) {
      float scale = (float) (maxNorm / (norm + 1e-6));
      for (int i = 0; i < grad.length; i++) {
        grad[i] *= scale;
      }
    }
    return norm;
  }
}
