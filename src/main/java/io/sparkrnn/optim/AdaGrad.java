package io.sparkrnn.optim;

/** AdaGrad (Duchi et al. 2011): h ← h + g²; θ ← θ - lr·g / (√h + ε). */
public final class AdaGrad extends Optimizer {
  private final float eps;
  private final float[] h; // (P) sum of squared gradients

  public AdaGrad(int size, double eps) {
    this(eps, new float[size]);
  }

  private AdaGrad(double eps, float[] h) {
    super(h);
    this.eps = (float) eps;
    this.h = h;
  }

  @Override
  protected void update(float[] params, float[] grad, float lr, long t, int from, int to) {
    for (int i = from; i < to; i++) {
      float g = grad[i];
      h[i] += g * g;
      params[i] -= lr * g / ((float) Math.sqrt(h[i]) + eps);
    }
  }
}
