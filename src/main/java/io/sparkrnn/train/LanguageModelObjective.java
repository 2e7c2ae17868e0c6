package io.sparkrnn.train;

import io.sparkrnn.data.TokenStreams;
import io.sparkrnn.nn.LanguageModel;
import io.sparkrnn.nn.ModelSpec;
import io.sparkrnn.nn.Noise;
import io.sparkrnn.nn.ParamLayout;
import io.sparkrnn.nn.Regularization;

/**
 * A language model over token streams: an example is a stream, a batch is window b of T = bptt steps of every
 * stream of the shard, and the hidden state carries from window to window (truncated BPTT). Only the spec
 * travels; the model is built again where it is used.
 */
public final class LanguageModelObjective implements Objective<TokenStreams> {
  private static final long serialVersionUID = 1L;
  private final ModelSpec spec;
  private final int bptt;
  private final Regularization reg;
  private final long seed;
  private transient LanguageModel model;

  /** Without regularisation: evaluation, and training without dropout. */
  public LanguageModelObjective(LanguageModel model, int bptt) {
    this(model, bptt, Regularization.NONE, 0);
  }

  /** Training regularised by {@code reg}, its masks drawn from {@code seed} (see {@link Noise}). */
  public LanguageModelObjective(LanguageModel model, int bptt, Regularization reg, long seed) {
    this.spec = model.spec();
    this.bptt = bptt;
    this.reg = reg;
    this.seed = seed;
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
  public Shard shard(TokenStreams data, int first, int count, int number) {
    return new StreamShard(model(), data, first, count, bptt, reg, seed, number);
  }

  /**
   * A window reads the rows of its input tokens. The vocabulary sorts the ids by frequency, so Zipf's law gives
   * word r the frequency 1 / ((r + 1) H) (H the harmonic number of the vocabulary's size), and a window of n tokens
   * reads it with probability 1 - (1 - that)^n. None with a tied table, which the output layer reads whole.
   */
  @Override
  public double[] rowReadRates(int examples) {
    if (spec.tie()) {
      return null;
    }
    int rows = model().layout().find("emb.weight").rows();
    double h = 0;
    for (int r = 1; r <= rows; r++) {
      h += 1.0 / r;
    }
    double[] rates = new double[rows];
    for (int r = 0; r < rows; r++) {
      rates[r] = 1 - Math.pow(1 - 1 / ((r + 1) * h), (double) examples * bptt);
    }
    return rates;
  }

  /** The embedding table is sparse (only the rows of the window's tokens travel) unless the output layer shares it. */
  @Override
  public GradAccumulator accumulator() {
    if (spec.tie()) {
      return new GradAccumulator(paramCount());
    }
    ParamLayout.View emb = model().layout().find("emb.weight");
    return new GradAccumulator(paramCount()).sparseRows(emb.offset(), emb.rows(), emb.cols());
  }
}
