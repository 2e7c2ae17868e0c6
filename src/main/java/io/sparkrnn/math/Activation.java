package io.sparkrnn.math;

/**
 * Element-wise non-linearities. Each derivative is written in terms of the activation's
 * <em>output</em> y = f(a), which is what the recurrent layers keep in their caches:
 * sigmoid' = y(1-y), tanh' = 1-y², relu' = [y > 0].
 */
public enum Activation {
  TANH, SIGMOID, RELU;

  /** Replaces x[off, off+n) with f(x). */
  public void apply(float[] x, int off, int n) {
    switch (this) {
      case TANH -> Kernels.tanh(x, off, n);
      case SIGMOID -> Kernels.sigmoid(x, off, n);
      case RELU -> {
        for (int i = off; i < off + n; i++) {
          x[i] = Math.max(0f, x[i]);
        }
      }
    }
  }

  /** f'(a) from y = f(a). */
  public float derivative(float y) {
    return switch (this) {
      case TANH -> 1f - y * y;
      case SIGMOID -> y * (1f - y);
      case RELU -> y > 0f ? 1f : 0f;
    };
  }

  /** Numerically safe logistic function: exp only ever sees a non-positive argument. */
  public static float sigmoid(float a) {
    if (a >= 0f) {
      return (float) (1.0 / (1.0 + Math.exp(-a)));
    }
    double e = Math.exp(a);
    return (float) (e / (1.0 + e));
  }

  public static Activation parse(String name) {
    for (Activation a : values()) {
      if (a.name().equalsIgnoreCase(name)) {
        return a;
      }
    }
    throw new IllegalArgumentException("activation must be tanh, sigmoid or relu, not '" + name + "'");
  }
}
