package io.sparkrnn.nn;

/**
 * A sequence layer that runs all T steps of a window for B streams. Tensors are time-major and
 * contiguous: input (T, B, in), output (T, B, out).
 *
 * <p>The carried state is one flat {@code float[B·stateSize()]} whose inner layout belongs to the
 * layer (an LSTM keeps h then c; composites concatenate their parts). Forward reads it as the
 * initial state and overwrites it with the final one, so truncated BPTT carries it to the next
 * window simply by passing the same array again.
 *
 * <p>Backward <em>adds</em> into its slice of {@code gradParams}; it never zeroes or divides.
 */
public interface Recurrent {
  int inputSize();

  int outputSize();

  /** Floats of carried state per stream. */
  int stateSize();

  Cache newCache(int steps, int batch);

  /**
   * Runs the window. {@code x} is (T, B, in) and must stay unchanged until backward; the returned
   * output (T, B, out) belongs to the cache. {@code state} is read, then overwritten with the final state.
   */
  float[] forward(float[] params, float[] x, float[] state, Cache cache);

  /**
   * Back-propagates {@code gradOutput} (T, B, out) through the window stored in the cache.
   * {@code gradState} (B·stateSize) holds the gradient for the final state, or null for none; it is
   * overwritten with the gradient for the initial state when not null. Returns the input gradient
   * (T, B, in), owned by the cache.
   */
  float[] backward(float[] params, float[] gradOutput, float[] gradState, Cache cache, float[] gradParams);
}
