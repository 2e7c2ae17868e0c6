package io.sparkrnn.train;

/**
 * Where the gradients of a step are computed: worker threads in this JVM ({@link LocalBackend}) or
 * Spark executors. The driver loop ({@link TrainLoop}) is the same for both: it asks for the sums of a
 * window over all streams, divides, clips and updates.
 */
public interface StepBackend extends AutoCloseable {
  /** Batches in one pass over the training examples (windows of the streams, for a language model). */
  int batches();

  /** Training examples in all (the B streams of a language model). */
  int examples();

  /** Shards the examples are split into: worker threads, or Spark partitions. */
  int partitions();

  /** Names the coming step where an operator sees it (the Spark UI's job description). */
  default void describe(String step) {}

  /**
   * Sums over every shard for training step s (batch b = s mod {@link #batches}), from the state batch b-1 left
   * (zeros for b = 0).
   */
  GradAccumulator gradients(float[] params, long step);

  /** Summed loss and count over a whole split ("valid" or "test"), state carried through it. */
  Evaluation evaluate(float[] params, String split);

  /** The carried training state of every shard (for checkpoints). */
  CarriedState carriedState();

  /**
   * Restores it, so that the next window continues exactly; returns false (and keeps zero state,
   * the same as a truncated-BPTT reset) when it was saved with another split of the streams.
   */
  boolean restoreState(CarriedState state);

  /** Milliseconds spent in the last {@link #gradients} call: compute, broadcast, aggregate. */
  StepTiming lastTiming();

  @Override
  void close();

  /**
   * The states of the shards one after the other, each in its layer's own layout, so it is only
   * meaningful for the same split of the examples ({@code shardStreams}); {@code next} is the batch it is for.
   */
  record CarriedState(int[] shardStreams, float[] state, int next) implements java.io.Serializable {
    /** Shard i's part, {@code stateSize} floats per example. */
    public float[] shard(int i, int stateSize) {
      int from = 0;
      for (int j = 0; j < i; j++) {
        from += shardStreams[j] * stateSize;
      }
      return java.util.Arrays.copyOfRange(state, from, from + shardStreams[i] * stateSize);
    }
  }

  /** Perplexity inputs over a split. */
  record Evaluation(double loss, long tokens) {
    public double perplexity() {
      return Math.exp(loss / tokens);
    }
  }

  /**
   * Where the time of one step went, in milliseconds, and the gradient bytes that reached the driver outside
   * task results (Spark's block manager; task results are counted by Spark's own metrics).
   */
  record StepTiming(double compute, double broadcast, double aggregate, long blockBytes) {}
}
