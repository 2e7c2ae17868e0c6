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
public final class Seq2SeqObjective extends LaneObjective<PairBatches, Seq2Seq> {
  private static final long serialVersionUID = 1L;
  private final Seq2SeqSpec spec;

  public Seq2SeqObjective(Seq2SeqSpec spec) {
    this.spec = spec;
  }

  @Override
  Seq2Seq build() {
    return new Seq2Seq(spec);
  }

  @Override
  ParamLayout layout(Seq2Seq model) {
    return model.layout();
  }

  /** The target embedding travels sparsely: only the rows of the batch's target words. */
  @Override
  String sparseTable() {
    return "dec.emb.weight";
  }

  @Override
  void run(Seq2Seq model, PairBatches data, int b, int first, int count, float[] params, GradAccumulator acc) {
    Seq2Seq.Batch batch = batch(data, b, first, count);
    if (batch.batch() > 0) {
      acc.loss += model.loss(params, batch, acc.grad.length > 0 ? acc.grad : null);
      acc.tokens += batch.tokens();
    }
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
}
