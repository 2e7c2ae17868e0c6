package io.sparkrnn.train;

import java.util.ArrayList;
import java.util.List;

/**
 * The unit of work of one in-process thread or one Spark partition: a fixed share of the training examples
 * (streams of a language model), read as batch b of every pass, with the state one batch leaves for the next
 * (the hidden state of truncated BPTT; none for models without one). Every backend and every way of
 * synchronising calls {@link #run}, so the maths is the same everywhere.
 */
public interface Shard {
  /** Examples in this shard: the split of the examples that a carried state belongs to. */
  int examples();

  /** Batches in one pass over the examples. */
  int batches();

  /** The carried state (examples · state size floats, none without one), live. */
  float[] state();

  /** The batch this shard's state is ready for (so a rescheduled task can tell it lost its state). */
  int nextBatch();

  /** Starts the next batch from this state (a checkpoint restore), expecting batch {@code next}. */
  void restore(float[] saved, int next);

  /**
   * Runs training step {@code step}, which is batch b = step mod {@link #batches} of pass step / batches, forward
   * (and backward when acc.grad has the model's size), adding the gradient, summed loss and count into
   * {@code acc}. The step, not only the batch, keys the training noise (dropout masks), so that every pass draws
   * new masks and every backend and partitioning draws the same ones. Batch 0, or a batch other than the one the
   * state is ready for, starts from zero state; returns false in the latter case.
   */
  boolean run(float[] params, long step, GradAccumulator acc);

  /**
   * The rows of the accumulator's sparse row block ({@link GradAccumulator#sparseRows}: the embedding table) that
   * {@link #run} of {@code step} reads, in order; null when it may read any. A synchronisation that hands a worker
   * new parameters need not bring the block's other rows for that step.
   */
  default int[] rowsRead(long step) {
    return null;
  }

  /** A whole pass, forward only: the summed loss and count of every batch into {@code acc}. */
  default GradAccumulator evaluate(float[] params, GradAccumulator acc) {
    for (int b = 0; b < batches(); b++) {
      run(params, b, acc);
    }
    return acc;
  }

  /** The examples of {@code data} cut into min(parts, examples) contiguous shards of sizes differing by at most one. */
  static <D> List<Shard> split(Objective<D> objective, D data, int parts) {
    int[] bounds = bounds(objective.examples(data), parts);
    List<Shard> out = new ArrayList<>();
    for (int i = 0; i + 1 < bounds.length; i++) {
      out.add(objective.shard(data, bounds[i], bounds[i + 1] - bounds[i], bounds[i]));
    }
    return out;
  }

  /**
   * Where the shards of {@link #split} start: shard i holds examples [bounds[i], bounds[i + 1]), for
   * min(parts, examples) shards. Spark partitions are cut here too, so that they hold the threads' shards.
   */
  static int[] bounds(int examples, int parts) {
    int n = Math.min(parts, examples);
    int[] bounds = new int[n + 1];
    for (int i = 1; i <= n; i++) {
      bounds[i] = (int) ((long) i * examples / n);
    }
    return bounds;
  }
}
