package io.sparkrnn.train;

import java.io.Serializable;

/**
 * The sums one worker returns for a step: gradient of the summed loss, summed NLL, predicted
 * tokens. Sums, never means, so that partitions of unequal size combine exactly; the driver divides
 * once by the total token count.
 */
public final class GradAccumulator implements Serializable {
  private static final long serialVersionUID = 1L;

  public final float[] grad; // (P)
  public double loss;
  public long tokens;
  /** Longest forward/backward time of the merged workers, in ms (the step waits for the slowest). */
  public double computeMs;
  /** Workers that had to start their window from zero state because they lost their carried state. */
  public int stateResets;

  public GradAccumulator(int size) {
    this.grad = new float[size];
  }

  /** Adds {@code other} into this one and returns this; {@code other} is not changed. */
  public GradAccumulator merge(GradAccumulator other) {
    float[] g = other.grad;
    for (int i = 0; i < g.length; i++) {
      grad[i] += g[i];
    }
    loss += other.loss;
    tokens += other.tokens;
    computeMs = Math.max(computeMs, other.computeMs);
    stateResets += other.stateResets;
    return this;
  }

  public void reset() {
    java.util.Arrays.fill(grad, 0f);
    loss = 0;
    tokens = 0;
    computeMs = 0;
    stateResets = 0;
  }
}
