package io.sparkrnn.train;

/**
 * Sparse-row synchronisation (word2vec): every shard trains its examples' batch with its own SGD on its own copy
 * of the parameters and sends, for each row r it moved, its change Δ_p = θ'_p − θ (scaled as the merge says) and
 * one number a_p (see {@link Word2VecObjective}); the backend sums both over the shards, and rows no shard moved
 * stay. The merges ({@code word2vec.merge}):
 * <ul>
 *   <li>aligned (the default): θ + S / max(1, |S|² / 2Q) with S = Σ_p Δ_p and Q = Σ_p |Δ_p|² (a_p = |Δ_p|²).
 *       |S|² / Q counts the shards whose changes agree: about P when all moved the row alike, about 1 when their
 *       changes are unrelated. Changes that agree are added up to two shards' worth and averaged beyond: a
 *       frequent row that every shard moves close to the same point within a step moves by twice that (summing
 *       all P, as lock-free threads would, overshoots by P − 1 times it and diverged on Brown at P = 4), rows of
 *       unrelated changes get them all, and with two shards this is their sum.
 *   <li>mean: θ + Σ c_p·Δ_p / Σ c_p, the shards' rows averaged, weighted by how often each moved them (the shard
 *       sends c_p·Δ_p and c_p, its count of updates); a row that P shards move gets about 1/P of their changes,
 *       so it learns more slowly as P grows (Spark MLlib averages so, once per epoch).
 * </ul>
 * With one shard both are that shard's SGD. The learning rate is the objective's own (the C tool's linear
 * decay), so the driver's optimizer, schedule and clipping do not apply.
 */
public final class SparseRowSync extends DriverSync {
  /** How the shards' changes to a row are merged; see the class comment. */
  public enum Merge {
    ALIGNED, MEAN;

    /** By name, as word2vec.merge spells it. */
    static Merge of(String name) {
      for (Merge m : values()) {
        if (m.name().equalsIgnoreCase(name)) {
          return m;
        }
      }
      throw new IllegalArgumentException("word2vec.merge must be aligned or mean, not '" + name + "'");
    }

    /**
     * Adds a shard's change of model row r, its trained copy row[at, at + n) less base[r·n, r·n + n), moved by c
     * updates, into the same place of grad, and its number into the row's slot after the parameters,
     * grad[base.length + r].
     */
    void send(float[] row, int at, float[] base, int r, int n, float c, float[] grad) {
      float w = this == MEAN ? c : 1;
      float sq = 0;
      for (int j = 0; j < n; j++) {
        float d = row[at + j] - base[r * n + j];
        grad[r * n + j] += w * d;
        sq += d * d;
      }
      grad[base.length + r] += this == ALIGNED ? Math.max(sq, Float.MIN_NORMAL) : c; // > 0: moved
    }

    /** The factor of the summed change S of a row: 1 / max(1, |S|² / 2Q), or 1 / Σc. */
    float scale(float[] sums, int at, int n, float slot) {
      if (this == MEAN) {
        return 1 / slot;
      }
      double ss = 0;
      for (int j = 0; j < n; j++) {
        ss += (double) sums[at + j] * sums[at + j];
      }
      return (float) (1 / Math.max(1, ss / (2.0 * slot)));
    }
  }

  private final int rows;
  private final int dim;
  private final Merge merge;

  public SparseRowSync(StepBackend backend, int rows, int dim, Merge merge) {
    super(backend);
    this.rows = rows;
    this.dim = dim;
    this.merge = merge;
  }

  @Override
  public StepStats step(long step, float[] lr, double clip) {
    GradAccumulator acc = backend.gradients(params, step);
    long t0 = System.nanoTime();
    double norm = Double.isFinite(acc.loss) ? Math.sqrt(merge(params, acc.grad, rows, dim, merge)) : Double.NaN;
    StepBackend.StepTiming t = backend.lastTiming();
    return new StepStats(acc.loss, acc.tokens, norm, acc.stateResets, t.compute(), t.broadcast(), t.aggregate(),
        (System.nanoTime() - t0) / 1e6, t.blockBytes());
  }

  /**
   * Applies the merged changes of the moved rows to params; sums holds the rows' summed changes, then one summed
   * slot per row (0: not moved). Returns the squared norm of the change.
   */
  static double merge(float[] params, float[] sums, int rows, int dim, Merge merge) {
    int slots = rows * dim;
    double sq = 0;
    for (int r = 0; r < rows; r++) {
      float a = sums[slots + r];
      if (a == 0) {
        continue;
      }
      float scale = merge.scale(sums, r * dim, dim, a);
      for (int j = r * dim; j < (r + 1) * dim; j++) {
        float d = sums[j] * scale;
        params[j] += d;
        sq += (double) d * d;
      }
    }
    return sq;
  }
}
