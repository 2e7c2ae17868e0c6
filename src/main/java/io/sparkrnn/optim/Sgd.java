package io.sparkrnn.optim;

/**
 * SGD, with classical momentum when μ > 0: v ← μ·v - lr·g; θ ← θ + v (the course notes' form;
 * PyTorch's form differs only in where lr is applied, which matters when lr changes).
 */
public final class Sgd implements Optimizer {
  private final double momentum;
  private final float[] velocity; // (P), empty without momentum
  private long steps;

  public Sgd(int size, double momentum) {
    this.momentum = momentum;
    this.velocity = new float[momentum > 0 ? size : 0];
  }

  @Override
  public void step(float[] params, float[] grad, float lr) {
    if (momentum > 0) {
      float mu = (float) momentum;
      for (int i = 0; i < params.length; i++) {
        velocity[i] = mu * velocity[i] - lr * grad[i];
        params[i] += velocity[i];
      }
    } else {
      for (int i = 0; i < params.length; i++) {
        params[i] -= lr * grad[i];
      }
    }
    steps++;
  }

  @Override
  public float[][] state() {
    return momentum > 0 ? new float[][] {velocity} : new float[0][];
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
