package io.sparkrnn.train;

/**
 * A shard of a model that carries no state from one batch to the next (an encoder-decoder's sentence pairs,
 * word2vec's lanes): no state to save, and any batch can come next.
 */
interface StatelessShard extends Shard {
  float[] NONE = new float[0];

  @Override
  default float[] state() {
    return NONE;
  }

  @Override
  default int nextBatch() {
    return 0;
  }

  @Override
  default void restore(float[] saved, int next) {}
}
