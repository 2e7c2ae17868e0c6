package io.sparkrnn.train;

import io.sparkrnn.data.Lanes;
import io.sparkrnn.nn.ParamLayout;

/**
 * A model over lanes of examples that carries no state from one batch to the next (an encoder–decoder's sentence
 * pairs, a tree classifier's trees): an example is a lane, a shard's batch is batch b's examples in its lanes, and
 * the model is built once per JVM from the serialized spec. One embedding table travels sparsely.
 *
 * @param <D> the lanes
 * @param <M> the model (immutable; the weights are the caller's flat params)
 */
abstract class LaneObjective<D extends Lanes, M> implements Objective<D> {
  private static final long serialVersionUID = 1L;
  private transient M model;

  /** The model, from the spec this objective was made with. */
  abstract M build();

  abstract ParamLayout layout(M model);

  /** The name of the embedding table whose gradient rows travel sparsely. */
  abstract String sparseTable();

  /**
   * Batch b over lanes [first, first + count): adds the summed loss and the count into {@code acc}, and the
   * gradient when acc.grad has the model's size.
   */
  abstract void run(M model, D data, int b, int first, int count, float[] params, GradAccumulator acc);

  final synchronized M model() {
    if (model == null) {
      model = build();
    }
    return model;
  }

  @Override
  public final int paramCount() {
    return layout(model()).size();
  }

  @Override
  public final int stateSize() {
    return 0;
  }

  @Override
  public final int examples(D data) {
    return data.lanes();
  }

  @Override
  public final GradAccumulator accumulator() {
    ParamLayout.View emb = layout(model()).find(sparseTable());
    return new GradAccumulator(paramCount()).sparseRows(emb.offset(), emb.rows(), emb.cols());
  }

  @Override
  public final Shard shard(D data, int first, int count, int number) {
    M m = model();
    return new StatelessShard() {
      @Override
      public int examples() {
        return count;
      }

      @Override
      public int batches() {
        return data.batches();
      }

      @Override
      public boolean run(float[] params, long step, GradAccumulator acc) {
        LaneObjective.this.run(m, data, (int) (step % data.batches()), first, count, params, acc);
        return true;
      }
    };
  }
}
