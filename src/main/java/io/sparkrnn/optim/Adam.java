package io.sparkrnn.optim;

import io.sparkrnn.math.Kernels;

/**
 * Adam (Kingma and Ba 2015, Algorithm 1), as torch.optim.Adam without weight decay:
 * m ← β1·m + (1-β1)·g; v ← β2·v + (1-β2)·g²; θ ← θ - lr·m̂ / (√v̂ + ε), with m̂ = m/(1-β1^t), v̂ = v/(1-β2^t)
 * (computed as lr/(1-β1^t)·m / (√v/√(1-β2^t) + ε), which is the same expression).
 */
public final class Adam extends Optimizer {
  private final float beta1;
  private final float beta2;
  private final float eps;
  private final float[] m; // (P)
  private final float[] v; // (P)

  public Adam(int size, double beta1, double beta2, double eps) {
    this(beta1, beta2, eps, new float[size], new float[size]);
  }

  private Adam(double beta1, double beta2, double eps, float[] m, float[] v) {
    super(m, v);
    this.beta1 = (float) beta1;
    this.beta2 = (float) beta2;
    this.eps = (float) eps;
    this.m = m;
    this.v = v;
  }

  @Override
  protected void update(float[] params, float[] grad, float lr, long t, int from, int to) {
    float step = (float) (lr / (1 - Math.pow(beta1, t)));
    float invSqrtC2 = (float) (1 / Math.sqrt(1 - Math.pow(beta2, t)));
    Kernels.adam(params, grad, m, v, beta1, beta2, step, invSqrtC2, eps, from, to);
  }
}
