package io.sparkrnn.optim;

/**
 * Learning rate as a function of progress: {@code constant}; {@code step}, multiplied by
 * {@code decay} at the start of every epoch after {@code decayStart} (Zaremba et al. 2014 style);
 * {@code cosine}, from lr down to 0 over all steps; {@code plateau}, lr times a factor that the training loop lowers
 * when validation stops improving (reduce-on-plateau). A linear warm-up of {@code warmup} steps may precede any.
 */
public record LrSchedule(String kind, double lr, double decay, int decayStart, int warmup) {
  public LrSchedule {
    if (!java.util.List.of("constant", "step", "cosine", "plateau").contains(kind)) {
      throw new IllegalArgumentException("lr.schedule must be constant, step, cosine or plateau, not '" + kind + "'");
    }
  }

  /** The rate for step (0-based) of totalSteps, in epoch (0-based). */
  public float at(long step, long totalSteps, int epoch) {
    double rate = switch (kind) {
      case "step" -> lr * Math.pow(decay, Math.max(0, epoch - decayStart + 1));
      case "cosine" -> 0.5 * lr * (1 + Math.cos(Math.PI * Math.min(1.0, (double) step / Math.max(1, totalSteps))));
      default -> lr;
    };
    if (warmup > 0 && step < warmup) {
      rate *= (step + 1) / (double) warmup;
    }
    return (float) rate;
  }
}
