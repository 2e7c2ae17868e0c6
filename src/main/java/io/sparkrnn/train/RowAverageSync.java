package io.sparkrnn.train;

/**
 * Sparse-row averaging (word2vec): every shard trains its examples' batch with its own SGD on its own copy of the
 * parameters, and returns, for each row it moved, c·(θ' − θ) and c, c being how many updates it made to the row
 * (see {@link Word2VecObjective}). The backend sums them over the shards; each moved row becomes
 * θ + Σ c_p·(θ'_p − θ) / Σ c_p, the mean of the shards' rows weighted by how often each moved it; rows no shard
 * moved stay. With one shard this is that shard's SGD. The learning rate is the objective's own (the C tool's
 * linear decay), so the driver's optimizer, schedule and clipping do not apply.
 */
public final class RowAverageSync extends DriverSync {
  private final int rows;
  private final int dim;

  public RowAverageSync(StepBackend backend, int rows, int dim) {
    super(backend);
    this.rows = rows;
    this.dim = dim;
  }

  @Override
  public StepStats step(long step, float[] lr, double clip) {
    GradAccumulator acc = backend.gradients(params, step);
    long t0 = System.nanoTime();
    double norm = Double.isFinite(acc.loss) ? Math.sqrt(average(params, acc.grad, rows, dim)) : Double.NaN;
    StepBackend.StepTiming t = backend.lastTiming();
    return new StepStats(acc.loss, acc.tokens, norm, acc.stateResets, t.compute(), t.broadcast(), t.aggregate(),
        (System.nanoTime() - t0) / 1e6, t.blockBytes());
  }

  /** Applies the weighted mean of the moved rows to params; returns the squared norm of the change. */
  static double average(float[] params, float[] sums, int rows, int dim) {
    int counts = rows * dim;
    double sq = 0;
    for (int r = 0; r < rows; r++) {
      float c = sums[counts + r];
      if (c == 0) {
        continue;
      }
      for (int j = r * dim; j < (r + 1) * dim; j++) {
        float d = sums[j] / c;
        params[j] += d;
        sq += (double) d * d;
      }
    }
    return sq;
  }
}
