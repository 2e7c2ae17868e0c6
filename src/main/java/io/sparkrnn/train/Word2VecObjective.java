package io.sparkrnn.train;

import io.sparkrnn.word2vec.ChunkTrainer;
import io.sparkrnn.word2vec.Sampling;
import io.sparkrnn.word2vec.Word2VecSpec;
import io.sparkrnn.word2vec.Word2VecText;

/**
 * word2vec through the training core: an example is a lane of the text ({@link Word2VecText}), a step trains the
 * next word2vec.syncWords words of every lane. A shard trains its lanes' chunk with the C tool's SGD on its own
 * copy of the parameters ({@link ChunkTrainer}) and returns, for every row it moved, its change θ' − θ and one
 * number, as the merge of {@link SparseRowSync} asks. Only moved rows travel (a sparse block over both tables),
 * and those numbers after them.
 */
public final class Word2VecObjective implements Objective<Word2VecText> {
  private static final long serialVersionUID = 1L;
  /** The C tool's floor of the falling learning rate, as a share of the starting one. */
  static final double MIN_RATE = 1e-4;
  private final Word2VecSpec spec;
  private final Sampling sampling;
  private final double lr;
  private final long totalSteps;
  private final long seed;
  private final SparseRowSync.Merge merge;

  /** {@code lr} falls linearly to MIN_RATE·lr over {@code totalSteps}. */
  public Word2VecObjective(Word2VecSpec spec, Sampling sampling, double lr, long totalSteps, long seed,
      SparseRowSync.Merge merge) {
    this.spec = spec;
    this.sampling = sampling;
    this.lr = lr;
    this.totalSteps = totalSteps;
    this.seed = seed;
    this.merge = merge;
  }

  public Word2VecSpec spec() {
    return spec;
  }

  SparseRowSync.Merge merge() {
    return merge;
  }

  @Override
  public int paramCount() {
    return spec.paramCount();
  }

  @Override
  public int stateSize() {
    return 0;
  }

  @Override
  public int examples(Word2VecText data) {
    return data.lanes();
  }

  @Override
  public Shard shard(Word2VecText data, int first, int count, int number) {
    return new LaneShard(count, data.batches(), new ChunkTrainer(spec, sampling, data, first, count, seed));
  }

  /** The parameters' sums, then one count per row. */
  @Override
  public GradAccumulator accumulator() {
    return new GradAccumulator(spec.paramCount() + spec.rows()).sparseRows(0, spec.rows(), spec.dim());
  }

  float rate(double progress) {
    return (float) (lr * Math.max(MIN_RATE, 1 - progress / totalSteps));
  }

  /** Lanes of the text; stateless between steps. */
  private final class LaneShard implements StatelessShard {
    private final int lanes;
    private final int batches;
    private final ChunkTrainer trainer;

    LaneShard(int lanes, int batches, ChunkTrainer trainer) {
      this.lanes = lanes;
      this.batches = batches;
      this.trainer = trainer;
    }

    @Override
    public int examples() {
      return lanes;
    }

    @Override
    public int batches() {
      return batches;
    }

    @Override
    public boolean run(float[] params, long step, GradAccumulator acc) {
      boolean train = acc.grad.length > 0;
      trainer.run(params, step, Word2VecObjective.this::rate, train);
      if (train) {
        addMovedRows(params, acc.grad);
      }
      acc.loss += trainer.loss();
      acc.tokens += trainer.pairs();
      return true;
    }

    /** Each moved row's change and number, as the merge asks, into grad. */
    private void addMovedRows(float[] params, float[] grad) {
      trainer.moved().forEach((row, table, at, count) -> merge.send(table, at, params, row, spec.dim(), count, grad));
    }
  }
}
