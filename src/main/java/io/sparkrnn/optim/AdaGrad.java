package io.sparkrnn.optim;

/** AdaGrad (Duchi et al. 2011): h ← h + g²; θ ← θ - lr·g / (√h + ε). */
public final class AdaGrad implements Optimizer {
  private final float eps;
  private final float[] h; // (P) sum of squared gradients
  private long steps;

  public AdaGrad(int size, double eps) {
    this.eps = (float) eps;
    this.h = new float[size];
  }

  @Override
  public void step(float[] params, float[] grad, float lr) {
    for (int i = 0; i < params.length; i++) {
      float g = grad[i];
      h[i] += g * g;
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
