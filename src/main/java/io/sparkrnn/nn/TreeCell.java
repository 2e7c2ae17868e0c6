package io.sparkrnn.nn;

/**
 * A layer that composes a tree bottom-up over a {@link TreeSchedule}: every node's state from its input x (its
 * word's embedding, zeros for none; see {@link NodeInputs}) and its children's states, one level of the whole
 * batch at a time.
 */
interface TreeCell {
  /** Whether it composes at most two children (and so reads the binarised trees). */
  boolean binary();

  /** What forward keeps for backward; {@code h} (N, H) is every node's output. */
  class Cache {
    final float[] h;

    Cache(float[] h) {
      this.h = h;
    }
  }

  /** Every node's state. */
  Cache forward(float[] p, TreeSchedule s, NodeInputs in);

  /**
   * Backward from dH (N, H), the loss gradient of every node's output, which it adds the children's terms into
   * (so it is changed); adds the gradients of its weights and of the word vectors into g.
   */
  void backward(float[] p, TreeSchedule s, NodeInputs in, Cache cache, float[] dH, float[] g);
}
