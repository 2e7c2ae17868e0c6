package io.sparkrnn.nn;

/**
 * How a language model is regularised in training (Merity et al. 2018, AWD-LSTM): dropout rates on the
 * embedding output ({@code input}), between stacked layers ({@code hidden}) and before the output layer
 * ({@code output}); embedding dropout, which drops whole words of the table ({@code embedding}); DropConnect on
 * the hidden-to-hidden weights ({@code weight}); and the activation penalties AR ({@code ar}: α·mean h² of the
 * dropped last-layer output) and TAR ({@code tar}: β·mean (h_t − h_{t−1})² of the raw one). {@code locked} keeps
 * one mask per stream for a whole window (variational dropout) instead of a new one at every step. A training
 * setting, not part of the model's shape: evaluation, predict and generate never use it.
 */
public record Regularization(double input, double hidden, double output, double embedding, double weight,
    boolean locked, double ar, double tar) implements java.io.Serializable {
  public static final Regularization NONE = new Regularization(0, 0, 0, 0, 0, false, 0, 0);

  public Regularization {
    rate("dropout.input", input);
    rate("dropout.hidden", hidden);
    rate("dropout.output", output);
    rate("dropout.embedding", embedding);
    rate("dropout.weight", weight);
    if (!(ar >= 0) || !(tar >= 0)) {
      throw new IllegalArgumentException("reg.ar and reg.tar must be at least 0, not " + ar + " and " + tar);
    }
  }

  /** True when training draws any noise or adds any penalty. */
  public boolean active() {
    return input > 0 || hidden > 0 || output > 0 || embedding > 0 || weight > 0 || ar > 0 || tar > 0;
  }

  /** The noise of training step {@code step} for the streams numbered from {@code firstStream} on. */
  public Noise at(long seed, long step, int firstStream) {
    return new Noise(this, seed, step, firstStream);
  }

  private static void rate(String key, double p) {
    if (!(p >= 0 && p < 1)) {
      throw new IllegalArgumentException(key + " must be a dropout rate in [0, 1), not " + p);
    }
  }
}
