package io.sparkrnn.optim;

/**
 * SGD, with classical momentum when μ > 0: v ← μ·v - lr·g; θ ← θ + v (the course notes' form;
 * PyTorch's form differs only in where lr is applied, which matters when lr changes).
 */
public final class Sgd extends Optimizer {
  private final float mu;
  private final float[] velocity; // (P), empty without momentum

  public Sgd(int size, double momentum) {
    this(momentum, new float[momentum > 0 ? size : 0]);
  }

  private Sgd(double momentum, float[] velocity) {
    super(momentum > 0 ? new float[][] {velocity} : new float[0][]);
    this.mu = (float) momentum;
    this.velocity = velocity;
  }

  @Override
  protected void update(float[] params, float[] grad, float lr, long t, int from, int to) {
    if (mu > 0) {
      for (int i = from; i < to; i++) {
        velocity[i] = mu * velocity[i] - lr * grad[i];
        params[i] += velocity[i];
      }
    } else {
      for (int i = from; i < to; i++) {
        params[i] -= lr * grad[i];
      }
    }
  }
}
