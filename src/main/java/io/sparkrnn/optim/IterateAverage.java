package io.sparkrnn.optim;

import io.sparkrnn.math.Parallel;

/**
 * Averaging of the iterates, the "A" of ASGD (Polyak &amp; Juditsky 1992; NT-ASGD in Merity et al. 2018): from the
 * step it starts on, the mean of the parameters after every step. The optimizer keeps stepping the parameters;
 * the mean is the model that is evaluated, checkpointed and exported.
 */
public final class IterateAverage {
  private float[] mean;
  private long from = -1;

  public boolean active() {
    return mean != null;
  }

  /** The step after which averaging started (its parameters are the first term), or −1. */
  public long from() {
    return from;
  }

  /** Starts the mean at the parameters after step {@code step}. */
  public void start(float[] params, long step) {
    restore(params.clone(), step);
  }

  /** Continues a mean saved at some step after {@code from} (null: not averaging). */
  public void restore(float[] mean, long from) {
    this.mean = mean;
    this.from = mean == null ? -1 : from;
  }

  /** Adds the parameters after step {@code step} &gt; from: mean += (params − mean) / (step − from + 1). */
  public void add(float[] params, long step) {
    float w = 1f / (step - from + 1);
    float[] m = mean;
    Parallel.forRanges(m.length, (a, b) -> {
      for (int i = a; i < b; i++) {
        m[i] += (params[i] - m[i]) * w;
      }
    });
  }

  /** The model: the mean when averaging, else the parameters themselves. */
  public float[] model(float[] params) {
    return active() ? mean : params;
  }
}
