package io.sparkrnn.optim;

import io.sparkrnn.math.Kernels;

/**
 * Adam (Kingma and Ba 2015, Algorithm 1), as torch.optim.Adam without weight decay:
 * m ← β1·m + (1-β1)·g; v ← β2·v + (1-β2)·g²; θ ← θ - lr·m̂ / (√v̂ + ε) with m̂ = m/(1-β1^t), v̂ = v/(1-β2^t).
 */
public final class Adam implements Optimizer {
  private final float beta1;
  private final float beta2;
  private final float eps;
  private final float[] m; // (P)
  private final float[] v; // (P)
  private long steps;

  public Adam(int size, double beta1, double beta2, double eps) {
    this.beta1 = (float) beta1;
    this.beta2 = (float) beta2;
    this.eps = (float) eps;
    this.m = new float[size];
    this.v = new float[size];
  }

  @Override
  public void step(float[] params, float[] grad, float lr) {
    steps++;
    float step = (float) (lr / (1 - Math.pow(beta1, steps)));
    float invSqrtC2 = (float) (1 / Math.sqrt(1 - Math.pow(beta2, steps)));
    Kernels.adam(params, grad, m, v, beta1, beta2, step, invSqrtC2, eps);
  }

  @Override
  public float[][] state() {
    return new float[][] {m, v};
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
