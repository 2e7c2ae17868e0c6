package io.sparkrnn.train;

/**
 * What trains, apart from where and how it synchronises: a flat parameter vector of {@link #paramCount} floats,
 * and how a share of the training examples (data of type D: token streams for a language model) becomes a
 * {@link Shard} that yields the loss and gradient sums of its batches. Serializable: Spark ships it to the
 * executors, which build each partition's shard from it once and keep it with its carried state.
 */
public interface Objective<D> extends java.io.Serializable {
  int paramCount();

  /** Floats of carried state per example (0: none). */
  int stateSize();

  /** Examples in {@code data}. */
  int examples(D data);

  /**
   * A shard over examples [first, first + count) of {@code data}, example {@code first} being number
   * {@code number} of the whole training set. The number keys the examples' training noise, so that how the set
   * is cut into shards, threads or partitions does not change it.
   */
  Shard shard(D data, int first, int count, int number);

  /** A new gradient accumulator for one shard, with the rows that travel sparsely declared (embedding tables). */
  GradAccumulator accumulator();

  /**
   * How likely one batch of a shard of {@code examples} examples reads each row of the accumulator's sparse row
   * block ({@link Shard#rowsRead}), from 0 to 1; null when every batch may read every row. The all-reduce cuts its
   * slices by it, so that every owner sends about as many bytes.
   */
  default double[] rowReadRates(int examples) {
    return null;
  }
}
