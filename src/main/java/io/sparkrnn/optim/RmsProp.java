package io.sparkrnn.optim;

/** RMSprop (Tieleman and Hinton 2012): h ← ρ·h + (1-ρ)·g²; θ ← θ - lr·g / (√h + ε). */
public final class RmsProp extends Optimizer {
  private final float rho;
  private final float eps;
  private final float[] h; // (P) running mean of squared gradients

  public RmsProp(int size, double rho, double eps) {
    this(rho, eps, new float[size]);
  }

  private RmsProp(double rho, double eps, float[] h) {
    super(h);
    this.rho = (float) rho;
    this.eps = (float) eps;
    this.h = h;
  }

  @Override
  protected void update(float[] params, float[] grad, float lr, long t, int from, int to) {
    for (int i = from; i < to; i++) {
      float g = grad[i];
      h[i] = rho * h[i] + (1 - rho) * g * g;
      params[i] -= lr * g / ((float) Math.sqrt(h[i]) + eps);
    }
  }
}
