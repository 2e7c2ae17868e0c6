package io.sparkrnn.train;

/**
 * Sparse-row synchronisation (word2vec): every shard trains its examples' batch with its own SGD on its own copy
 * of the parameters and returns, for each row it moved, its change and c, how many updates it made to the row (see
 * {@link Word2VecObjective}); the backend sums them over the shards and rows no shard moved stay. Two merges:
 * <ul>
 *   <li>sum (word2vec.merge=sum): θ + Σ_p (θ'_p − θ), every shard's change applied, as the C tool's and gensim's
 *       lock-free threads apply every thread's updates; to first order in the rate, the SGD of the shards' text
 *       in any order;
 *   <li>mean (word2vec.merge=mean): θ + Σ c_p·(θ'_p − θ) / Σ c_p, the shards' rows averaged, weighted by how often
 *       each moved them (the shard sends c·(θ' − θ)); a row that P shards move gets about 1/P of their changes, so
 *       frequent words learn more slowly as P grows (Spark MLlib averages so, once per epoch).
 * </ul>
 * With one shard both are that shard's SGD. The learning rate is the objective's own (the C tool's linear decay),
 * so the driver's optimizer, schedule and clipping do not apply.
 */
public final class SparseRowSync extends DriverSync {
  private final int rows;
  private final int dim;
  private final boolean mean;

  public SparseRowSync(StepBackend backend, int rows, int dim, boolean mean) {
    super(backend);
    this.rows = rows;
    this.dim = dim;
    this.mean = mean;
  }

  @Override
  public StepStats step(long step, float[] lr, double clip) {
    GradAccumulator acc = backend.gradients(params, step);
    long t0 = System.nanoTime();
    double norm = Double.isFinite(acc.loss) ? Math.sqrt(merge(params, acc.grad, rows, dim, mean)) : Double.NaN;
    StepBackend.StepTiming t = backend.lastTiming();
    return new StepStats(acc.loss, acc.tokens, norm, acc.stateResets, t.compute(), t.broadcast(), t.aggregate(),
        (System.nanoTime() - t0) / 1e6, t.blockBytes());
  }

  /** Applies the merged changes of the moved rows to params; returns the squared norm of the change. */
  static double merge(float[] params, float[] sums, int rows, int dim, boolean mean) {
    int counts = rows * dim;
    double sq = 0;
    for (int r = 0; r < rows; r++) {
      float c = sums[counts + r];
      if (c == 0) {
        continue;
      }
      float scale = mean ? 1 / c : 1;
      for (int j = r * dim; j < (r + 1) * dim; j++) {
        float d = sums[j] * scale;
        params[j] += d;
        sq += (double) d * d;
      }
    }
    return sq;
  }
}
