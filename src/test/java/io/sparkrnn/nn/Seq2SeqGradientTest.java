package io.sparkrnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkrnn.math.Rng;
import org.junit.jupiter.api.Test;

/**
 * The encoder–decoder against finite differences, every tensor, on a batch of two pairs of different lengths
 * (the shorter padded on both sides): LSTM and GRU, stacked and bidirectional encoders, all three scores. And the
 * decoding path against the training path: step by step, the decoder gives the same loss as teacher forcing.
 */
class Seq2SeqGradientTest {
  /** Source (S=4, B=2) time-major, the second sentence 2 long; target (T=3, B=2), the second 2 long. */
  static Seq2Seq.Batch batch() {
    int[] source = {1, 4, 2, 5, 3, -1, 6, -1};
    int[] targetIn = {0, 0, 2, 3, 4, -1};
    int[] targetOut = {2, 3, 4, 1, 1, -1};
    return new Seq2Seq.Batch(2, 4, 3, source, new int[] {4, 2}, targetIn, targetOut);
  }

  @Test
  void lstmBidirectionalStackedGeneral() {
    check(new Seq2SeqSpec("lstm", 7, 6, 3, 4, 2, 2, true, Attention.Score.GENERAL, 5));
  }

  @Test
  void gruBidirectionalAdditive() {
    check(new Seq2SeqSpec("gru", 7, 6, 3, 4, 1, 1, true, Attention.Score.ADDITIVE, 5));
  }

  @Test
  void lstmUnidirectionalDot() {
    check(new Seq2SeqSpec("lstm", 7, 6, 3, 4, 1, 2, false, Attention.Score.DOT, 5));
  }

  private static void check(Seq2SeqSpec spec) {
    Seq2Seq m = new Seq2Seq(spec);
    Rng rng = new Rng(11);
    float[] params = GradCheck.random(m.layout().size(), 0.5, rng);
    Seq2Seq.Batch batch = batch();
    float[] grad = new float[params.length];
    double loss = m.loss(params, batch, grad);
    assertEquals(loss, m.loss(params, batch, null), 1e-5);
    for (ParamLayout.View v : m.layout().views()) {
      GradCheck.check(v.name(), params, v.offset(), v.end(), grad, v.offset(), x -> m.loss(x, batch, null), 40, rng);
    }
    assertEquals(loss, stepByStep(m, params, batch), 1e-4);
  }

  /** Σ −log p(target) decoding one step at a time with {@link Seq2Seq#decodeStep}, the previous target fed. */
  static double stepByStep(Seq2Seq m, float[] p, Seq2Seq.Batch batch) {
    int b = batch.batch();
    Seq2Seq.Encoded enc = m.encode(p, batch.source(), batch.sourceLengths(), b, batch.sourceSteps());
    Seq2Seq.DecoderState st = m.new DecoderState(b);
    double loss = 0;
    for (int t = 0; t < batch.targetSteps(); t++) {
      int[] prev = java.util.Arrays.copyOfRange(batch.targetIn(), t * b, t * b + b);
      float[] lp = m.decodeStep(p, enc, prev, st, null);
      for (int r = 0; r < b; r++) {
        int y = batch.targetOut()[t * b + r];
        if (y >= 0) {
          loss -= lp[r * m.spec().targetVocab() + y];
        }
      }
    }
    return loss;
  }

  @Test
  void repeatedRowsAndSelectedStatesDecodeLikeTheOriginals() {
    Seq2Seq m = new Seq2Seq(new Seq2SeqSpec("lstm", 7, 6, 3, 4, 2, 2, true, Attention.Score.ADDITIVE, 5));
    float[] p = GradCheck.random(m.layout().size(), 0.5, new Rng(5));
    Seq2Seq.Batch batch = batch();
    Seq2Seq.Encoded enc = m.encode(p, batch.source(), batch.sourceLengths(), 2, 4);
    Seq2Seq.DecoderState st = m.new DecoderState(2);
    m.decodeStep(p, enc, new int[] {0, 0}, st, null);
    float[] next = m.decodeStep(p, enc, new int[] {2, 3}, st, null);
    // The same two steps with each sentence twice, the rows swapped in between.
    Seq2Seq.Encoded twice = enc.repeat(2);
    Seq2Seq.DecoderState st2 = m.new DecoderState(4);
    m.decodeStep(p, twice, new int[] {0, 0, 0, 0}, st2, null);
    st2 = st2.select(new int[] {1, 0, 3, 2});
    float[] next2 = m.decodeStep(p, twice, new int[] {2, 2, 3, 3}, st2, null);
    int v = m.spec().targetVocab();
    assertArrayEquals(java.util.Arrays.copyOfRange(next, 0, v), java.util.Arrays.copyOfRange(next2, v, 2 * v), 1e-6f);
    assertArrayEquals(java.util.Arrays.copyOfRange(next, v, 2 * v), java.util.Arrays.copyOfRange(next2, 2 * v,
        3 * v), 1e-6f);
  }
}
