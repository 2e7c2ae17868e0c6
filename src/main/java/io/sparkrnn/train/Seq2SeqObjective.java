package io.sparkrnn.train;

import io.sparkrnn.data.PairBatches;
import io.sparkrnn.data.Vocab;
import io.sparkrnn.nn.Seq2Seq;
import io.sparkrnn.nn.Seq2SeqSpec;
import io.sparkrnn.nn.ParamLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * An encoder–decoder over sentence pairs: an example is a lane of the batches (see {@link PairBatches}), a
 * batch is batch b's pairs in the shard's lanes, padded, with teacher forcing; no state carries between batches.
 */
public final class Seq2SeqObjective implements Objective<PairBatches> {
  private static final long serialVersionUID = 1L;
  private final Seq2SeqSpec spec;
  private transient Seq2Seq model;

  public Seq2SeqObjective(Seq2SeqSpec spec) {
    this.spec = spec;
  }

  private synchronized Seq2Seq model() {
    if (model == null) {
      model = new Seq2Seq(spec);
    }
    return model;
  }

  @Override
  public int paramCount() {
    return model().layout().size();
  }

  @Override
  public int stateSize() {
    return 0;
  }

  @Override
  public int examples(PairBatches data) {
    return data.lanes();
  }

  @Override
  public Shard shard(PairBatches data, int first, int count, int number) {
    return new PairShard(model(), data, first, count);
  }

  /** The target embedding travels sparsely: only the rows of the batch's target words. */
  @Override
  public GradAccumulator accumulator() {
    ParamLayout.View emb = model().layout().find("dec.emb.weight");
    return new GradAccumulator(paramCount()).sparseRows(emb.offset(), emb.rows(), emb.cols());
  }

  /** Lanes [first, first + count) of batch b as a padded batch: source, target behind {@code </s>}, target. */
  static Seq2Seq.Batch batch(PairBatches data, int b, int first, int count) {
    int[] pairs = data.lanes(b, first, count);
    int n = pairs.length;
    int s = 0;
    int t = 0;
    int[] lengths = new int[n];
    List<int[]> sources = new ArrayList<>();
    List<int[]> in = new ArrayList<>();
    List<int[]> out = new ArrayList<>();
    for (int j = 0; j < n; j++) {
      int[] tgt = data.target(pairs[j]);
      sources.add(data.source(pairs[j]));
      lengths[j] = sources.get(j).length;
      s = Math.max(s, lengths[j]);
      t = Math.max(t, tgt.length);
      int[] shifted = new int[tgt.length];
      shifted[0] = Vocab.EOS_ID;
      System.arraycopy(tgt, 0, shifted, 1, tgt.length - 1);
      in.add(shifted);
      out.add(tgt);
    }
    return new Seq2Seq.Batch(n, s, t, Seq2Seq.timeMajor(sources, s), lengths, Seq2Seq.timeMajor(in, t),
        Seq2Seq.timeMajor(out, t));
  }

  /** A shard of lanes; stateless. */
  private static final class PairShard implements StatelessShard {
    private final Seq2Seq model;
    private final PairBatches data;
    private final int first;
    private final int count;

    PairShard(Seq2Seq model, PairBatches data, int first, int count) {
      this.model = model;
      this.data = data;
      this.first = first;
      this.count = count;
    }

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
      Seq2Seq.Batch batch = batch(data, (int) (step % batches()), first, count);
      if (batch.batch() > 0) {
        acc.loss += model.loss(params, batch, acc.grad.length > 0 ? acc.grad : null);
        acc.tokens += batch.tokens();
      }
      return true;
    }
  }
}
