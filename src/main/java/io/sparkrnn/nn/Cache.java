package io.sparkrnn.nn;

/**
 * Per-call workspace of a layer for one (T, B) shape: what forward stores for backward, and the
 * buffers both write into. Allocated once per shape and reused; nothing is allocated in the time loop.
 */
public interface Cache {
  int steps();

  int batch();

  /**
   * Declares that stream b holds lengths[b] ≤ T real steps followed by padding (null: all T).
   * Causal layers need nothing (padding comes after what they read); layers that run backwards
   * in time use it to start each stream at its last real step.
   */
  default void setLengths(int[] lengths) {}
}
