package io.sparkrnn.nn;

/**
 * Told during a backward pass that the gradient of parameters [from, to) is complete for the window: the rest of
 * the pass does not change it. Lets the caller send that part on its way while the pass goes on.
 */
@FunctionalInterface
public interface GradientReady {
  void ready(int from, int to);
}
