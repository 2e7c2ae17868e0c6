package io.sparkrnn.optim;

/** RMSprop (Tieleman and Hinton 2012): h ← ρ·h + (1-ρ)·g²; θ ← θ - lr·g / (√h + ε). */
public final class RmsProp implements Optimizer {
  private final float rho;
  private final float eps;
  private final float[] h; // (P) running mean of squared gradients
  private long steps;

  public RmsProp(int size, double rho, double eps) {
    this.rho = (float) rho;
    this.eps = (float) eps;
    this.h = new float[size];
  }

  @Override
  public void step(float[] params, float[] grad, float lr) {
    for (int i = 0; i < params.length; i++) {
      float g = grad[i];
      h[i] = rho * h[i] + (1 - rho) * g * g;
      params[i] -= lr * g / ((float) Math.sqrt(h[i]) + eps);
    }
    steps++;
  }

  @Override
  public float[][] state() {
    return new float[][] {h};
  }

  @Override
  public long steps() {
    return steps;
  }

  @Override
  public void setSteps(long steps) {
    this.steps = steps;
  }
}
