package io.sparkrnn.optim;

import io.sparkrnn.math.Parallel;

/**
 * An update rule on the flat parameter vector. Lifecycle per step: the caller has zeroed, filled,
 * averaged and clipped {@code grad}; {@link #step} then changes {@code params} in place (and the
 * rule's moment arrays); {@code grad} is left unchanged. The moment arrays have the layout of params,
 * so a checkpoint writes them as they are and a resume fills them back through {@link #state()}.
 */
public abstract class Optimizer {
  private final float[][] state;
  private long steps;

  /** {@code state}: the rule's moment arrays (possibly none), owned by the optimizer from now on. */
  protected Optimizer(float[]... state) {
    this.state = state;
  }

  /** Applies one update and counts it; every rule is element-wise, so it runs on all cores. */
  public final void step(float[] params, float[] grad, float lr) {
    long t = ++steps;
    Parallel.forRanges(params.length, (from, to) -> update(params, grad, lr, t, from, to));
  }

  /**
   * The rule itself on the elements [from, to); {@code t} is the 1-based number of this step (Adam's bias
   * correction uses it).
   */
  protected abstract void update(float[] params, float[] grad, float lr, long t, int from, int to);

  /** The moment arrays, live: a checkpoint writes them, a resume fills them. */
  public final float[][] state() {
    return state;
  }

  /** Steps taken so far. */
  public final long steps() {
    return steps;
  }

  public final void setSteps(long steps) {
    this.steps = steps;
  }

  /** Builds an optimizer by name: sgd, momentum, adagrad, rmsprop or adam. */
  public static Optimizer create(String name, int size, double momentum, double beta1, double beta2, double eps) {
    return switch (name.toLowerCase(java.util.Locale.ROOT)) {
      case "sgd" -> new Sgd(size, 0);
      case "momentum" -> new Sgd(size, momentum);
      case "adagrad" -> new AdaGrad(size, eps);
      case "rmsprop" -> new RmsProp(size, beta2, eps);
      case "adam" -> new Adam(size, beta1, beta2, eps);
      default -> throw new IllegalArgumentException(
          "optimizer must be sgd, momentum, adagrad, rmsprop or adam, not '" + name + "'");
    };
  }
}
