package io.sparkrnn.nn;

/**
 * Per-call workspace of a layer for one (T, B) shape: what forward stores for backward, and the
 * buffers both write into. Allocated once per shape and reused; nothing is allocated in the time loop.
 */
public abstract class Cache {
  private final int steps;
  private final int batch;

  protected Cache(int steps, int batch) {
    this.steps = steps;
    this.batch = batch;
  }

  public final int steps() {
    return steps;
  }

  public final int batch() {
    return batch;
  }

  /**
   * Declares that stream b holds lengths[b] ≤ T real steps followed by padding (null: all T).
   * Causal layers need nothing (padding comes after what they read); layers that run backwards
   * in time use it to start each stream at its last real step.
   */
  public void setLengths(int[] lengths) {}
}
