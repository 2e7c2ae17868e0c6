package io.sparkrnn.train;

import io.sparkrnn.optim.Optimizer;

/**
 * How a step's gradient sums become new parameters: gathered on the driver, which updates ({@link DriverSync}),
 * or reduced and updated slice by slice on the executors (the Spark all-reduce). The driver loop
 * ({@link TrainLoop}) is the same for every mode; it keeps the authoritative copy of the parameters and the
 * optimizer state only between {@link #gather} and {@link #start}.
 *
 * <p>Lifecycle: {@link #start} with fresh or restored parameters, then {@link #step} as often as needed, with
 * {@link #gather} wherever the driver needs the current values (a checkpoint, an evaluation, the end).
 */
public interface Sync {
  /**
   * Takes over {@code params}, {@code opt} and the carried state of every shard (null: zero state) for a fresh
   * run, a resume or a rollback after a lost step. Returns false when {@code carried} was saved with another
   * split of the streams, which then start from zero state (a truncated-BPTT reset).
   */
  boolean start(float[] params, Optimizer opt, StepBackend.CarriedState carried);

  /**
   * Windows that one {@link #step} trains at most: 1, k for local SGD (spark.syncEvery=k), times
   * spark.syncsPerJob for the all-reduce.
   */
  default int windowsPerStep() {
    return 1;
  }

  /**
   * Trains steps {@code step} to {@code step + lr.length - 1} (see {@link Shard#run}), step s + i at learning
   * rate lr[i]: gradient sums, divided by the token count, clipped to the global norm {@code clip} (0: off), then
   * the optimizer; the update is skipped when the loss or the norm is not finite. Throws {@link LostStep} when
   * state the step needs was lost with an executor; the caller then restarts from its last consistent state.
   */
  StepStats step(long step, float[] lr, double clip);

  /** Writes the current parameters and optimizer state (moments and step count) into the driver's arrays. */
  void gather(float[] params, Optimizer opt);

  /** The carried state of every shard after the last step (for a checkpoint). */
  StepBackend.CarriedState carriedState();

  /**
   * What one step measured: summed NLL, tokens, gradient norm of the mean before clipping, where time went (ms),
   * and the gradient bytes that reached the driver as blocks (Spark's task results are counted by Spark).
   */
  record StepStats(double loss, long tokens, double norm, int stateResets, double computeMs, double broadcastMs,
      double aggregateMs, double updateMs, long driverBlockBytes) {
    public boolean finite() {
      return Double.isFinite(loss) && Double.isFinite(norm);
    }
  }

  /** A step could not run because parameters, optimizer state or carried state were lost with an executor. */
  final class LostStep extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LostStep(String message) {
      super(message);
    }
  }
}
