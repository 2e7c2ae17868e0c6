package io.sparkrnn.train;

import io.sparkrnn.data.TokenStreams;
import io.sparkrnn.nn.LanguageModel;
import io.sparkrnn.nn.ModelSpec;
import io.sparkrnn.nn.ParamLayout;

/**
 * A language model over token streams: an example is a stream, a batch is window b of T = bptt steps of every
 * stream of the shard, and the hidden state carries from window to window (truncated BPTT). Only the spec
 * travels; the model is built again where it is used.
 */
public final class LanguageModelObjective implements Objective<TokenStreams> {
  private static final long serialVersionUID = 1L;
  private final ModelSpec spec;
  private final int bptt;
  private transient LanguageModel model;

  public LanguageModelObjective(LanguageModel model, int bptt) {
    this.spec = model.spec();
    this.bptt = bptt;
    this.model = model;
  }

  private synchronized LanguageModel model() {
    if (model == null) {
      model = new LanguageModel(spec);
    }
    return model;
  }

  @Override
  public int paramCount() {
    return model().layout().size();
  }

  @Override
  public int stateSize() {
    return model().stateSize();
  }

  @Override
  public int examples(TokenStreams data) {
    return data.streams();
  }

  @Override
  public Shard shard(TokenStreams data, int first, int count) {
    return new StreamShard(model(), data, first, count, bptt);
  }

  /** The embedding table is sparse: only the rows of the window's tokens travel. */
  @Override
  public GradAccumulator accumulator() {
    ParamLayout.View emb = model().layout().find("emb.weight");
    return new GradAccumulator(paramCount()).sparseRows(emb.offset(), emb.rows(), emb.cols());
  }
}
