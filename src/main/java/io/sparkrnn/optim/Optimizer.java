package io.sparkrnn.optim;

/**
 * An update rule on the flat parameter vector. Lifecycle per step: the caller has zeroed, filled,
 * averaged and clipped {@code grad}; {@code step} then changes {@code params} in place (and its own
 * state); {@code grad} is left unchanged. The state arrays have the layout of params, so they can be
 * checkpointed and restored as they are.
 */
public interface Optimizer {
  void step(float[] params, float[] grad, float lr);

  /** The moment arrays (possibly none), live: a checkpoint writes them, a resume fills them. */
  float[][] state();

  /** Steps taken so far (Adam's bias correction depends on it). */
  long steps();

  void setSteps(long steps);

  /** Builds an optimizer by name: sgd, momentum, adagrad, rmsprop or adam. */
  static Optimizer create(String name, int size, double momentum, double beta1, double beta2, double eps) {
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
