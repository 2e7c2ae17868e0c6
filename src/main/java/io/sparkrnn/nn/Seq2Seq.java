package io.sparkrnn.nn;

import io.sparkrnn.math.Init;
import io.sparkrnn.math.Kernels;
import io.sparkrnn.math.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * Encoder–decoder with attention and input feeding (Luong et al. 2015). The encoder embeds the source
 * ({@code enc.emb}) and runs its recurrent stack ({@code enc.rnn}) over the padded batch; the decoder starts from
 * zero state and at step t reads [embedding of y_{t-1} ({@code dec.emb}); h̃_{t-1}] through its stack
 * ({@code dec.rnn}), attends over the encoder's outputs ({@code attn}) and forms h̃_t = tanh(W_c [c_t; h_t] + b)
 * ({@code combine}), from which the output layer ({@code out}) predicts y_t. Teacher forcing in training.
 * Immutable like {@link LanguageModel}: the weights are the caller's flat {@code params}.
 */
public final class Seq2Seq {
  private final Seq2SeqSpec spec;
  private final ParamLayout layout = new ParamLayout();
  private final Embedding srcEmb;
  private final Recurrent encoder;
  private final Embedding tgtEmb;
  private final Recurrent decoder;
  private final Attention attention;
  private final Dense combine;
  private final FullSoftmax out;

  public Seq2Seq(Seq2SeqSpec spec) {
    this.spec = spec;
    int e = spec.embed();
    int h = spec.hidden();
    this.srcEmb = new Embedding(layout, "enc.emb", spec.sourceVocab(), e);
    this.encoder = stack(layout, "enc.rnn", spec.cell(), e, h, spec.encoderLayers(), spec.bidirectional());
    this.tgtEmb = new Embedding(layout, "dec.emb", spec.targetVocab(), e);
    this.decoder = stack(layout, "dec.rnn", spec.cell(), e + h, h, spec.decoderLayers(), false);
    this.attention = new Attention(layout, "attn", spec.attention(), h, spec.encoderSize(), spec.attnSize());
    this.combine = new Dense(layout, "combine", spec.encoderSize() + h, h);
    this.out = new FullSoftmax(layout, h, spec.targetVocab());
  }

  /** A stack of LSTM or GRU layers named as PyTorch names them (…_l0, …_l0_reverse). */
  static Recurrent stack(ParamLayout layout, String prefix, String cell, int in, int hidden, int layers,
      boolean bidirectional) {
    List<Recurrent> stack = new ArrayList<>();
    for (int l = 0; l < layers; l++) {
      int inputs = l == 0 ? in : (bidirectional ? 2 : 1) * hidden;
      Recurrent fwd = layer(layout, prefix, "_l" + l, cell, inputs, hidden);
      stack.add(bidirectional ? new Bidirectional(fwd, layer(layout, prefix, "_l" + l + "_reverse", cell, inputs,
          hidden)) : fwd);
    }
    return stack.size() == 1 ? stack.get(0) : new Stack(stack);
  }

  private static Recurrent layer(ParamLayout layout, String prefix, String suffix, String cell, int in, int hidden) {
    return cell.equals("lstm") ? new Lstm(layout, prefix, suffix, in, hidden, false)
        : new Gru(layout, prefix, suffix, in, hidden);
  }

  public Seq2SeqSpec spec() {
    return spec;
  }

  public ParamLayout layout() {
    return layout;
  }

  public float[] initParams(Init init, double scale, Rng rng) {
    return layout.init(init, scale, rng);
  }

  /**
   * B sentence pairs, padded: {@code source} (S, B) and {@code targetIn} / {@code targetOut} (T, B) time-major,
   * -1 after a sentence's end. targetIn is the target shifted right behind the start symbol, targetOut the target
   * followed by the end symbol; sourceLengths (B) are the real source positions.
   */
  public record Batch(int batch, int sourceSteps, int targetSteps, int[] source, int[] sourceLengths,
      int[] targetIn, int[] targetOut) {
    /** Predicted target tokens. */
    public long tokens() {
      return SoftmaxCrossEntropy.count(targetOut, targetOut.length);
    }
  }

  /** B sequences as one time-major (T, B) array, T = {@code steps}, -1 after each sequence's end. */
  public static int[] timeMajor(List<int[]> sequences, int steps) {
    int b = sequences.size();
    int[] out = new int[steps * b];
    java.util.Arrays.fill(out, -1);
    for (int j = 0; j < b; j++) {
      int[] x = sequences.get(j);
      for (int i = 0; i < x.length; i++) {
        out[i * b + j] = x[i];
      }
    }
    return out;
  }

  /** The encoder's outputs of a batch, batch-major (B, S, Hs), with the mask and the additive score's keys. */
  public final class Encoded {
    final int batch;
    final int steps;
    final float[] outputs;
    final float[] mask;
    final float[] keys;
    final Cache cache;

    private Encoded(float[] p, int[] source, int[] lengths, int batch, int steps) {
      this.batch = batch;
      this.steps = steps;
      float[] x = new float[steps * batch * spec.embed()];
      srcEmb.forward(p, source, steps * batch, x);
      cache = encoder.newCache(steps, batch);
      cache.setLengths(lengths);
      float[] y = encoder.forward(p, x, new float[batch * encoder.stateSize()], cache);
      int hs = spec.encoderSize();
      outputs = transpose(y, steps, batch, hs);
      mask = new float[batch * steps];
      for (int b = 0; b < batch; b++) {
        for (int s = 0; s < lengths[b]; s++) {
          mask[b * steps + s] = 1;
        }
      }
      keys = attention.keys(p, outputs, batch, steps);
    }

    public int batch() {
      return batch;
    }

    public int steps() {
      return steps;
    }

    /** The same sentences, each repeated {@code k} times in a row (beams of one sentence side by side). */
    public Encoded repeat(int k) {
      return new Encoded(this, k);
    }

    private Encoded(Encoded e, int k) {
      batch = e.batch * k;
      steps = e.steps;
      cache = null;
      outputs = repeatRows(e.outputs, e.batch, steps * spec.encoderSize(), k);
      mask = repeatRows(e.mask, e.batch, steps, k);
      keys = e.keys == null ? null : repeatRows(e.keys, e.batch, steps * spec.attnSize(), k);
    }
  }

  public Encoded encode(float[] p, int[] source, int[] lengths, int batch, int steps) {
    return new Encoded(p, source, lengths, batch, steps);
  }

  /** The decoder's state between steps for B rows: recurrent state and the last attentional vector h̃. */
  public final class DecoderState {
    final float[] state;
    final float[] feed;

    public DecoderState(int batch) {
      state = new float[batch * decoder.stateSize()];
      feed = new float[batch * spec.hidden()];
    }

    private DecoderState(float[] state, float[] feed) {
      this.state = state;
      this.feed = feed;
    }

    /**
     * Row i of the result is row {@code rows[i]} of this state (a beam's back-pointers). Every layer of the decoder
     * keeps its state as blocks of (B, H) (an LSTM h then c, a GRU h, a stack one layer after the other), so the
     * state is gathered block by block.
     */
    public DecoderState select(int[] rows) {
      int h = spec.hidden();
      int from = feed.length / h;
      int blocks = decoder.stateSize() / h;
      float[] s = new float[rows.length * decoder.stateSize()];
      for (int k = 0; k < blocks; k++) {
        for (int i = 0; i < rows.length; i++) {
          System.arraycopy(state, (k * from + rows[i]) * h, s, (k * rows.length + i) * h, h);
        }
      }
      return new DecoderState(s, gatherRows(feed, h, rows));
    }
  }

  /** What one decoder step keeps for its backward pass. */
  private final class StepCache {
    final Cache rnn;
    final Attention.Step att;
    final float[] x; // (B, E + H) [embedding; h̃_{t-1}]
    float[] top; // (B, H) the stack's output
    final float[] cat; // (B, Hs + H) [c_t; h_t]

    StepCache(int batch, int sourceSteps) {
      rnn = decoder.newCache(1, batch);
      att = new Attention.Step(attention, batch, sourceSteps);
      x = new float[batch * (spec.embed() + spec.hidden())];
      cat = new float[batch * (spec.encoderSize() + spec.hidden())];
    }
  }

  /**
   * One decoder step for the B rows of {@code enc}: reads {@code prev} (B) tokens and the state, which it
   * advances; writes h̃_t (B, H) into {@code attentional} from {@code outOff} on and returns the step's cache.
   */
  private StepCache step(float[] p, Encoded enc, int[] prev, int prevOff, DecoderState st, float[] attentional,
      int outOff) {
    int b = enc.batch;
    int e = spec.embed();
    int h = spec.hidden();
    int hs = spec.encoderSize();
    StepCache c = new StepCache(b, enc.steps);
    float[] emb = new float[b * e];
    tgtEmb.forward(p, slice(prev, prevOff, b), b, emb);
    for (int r = 0; r < b; r++) {
      System.arraycopy(emb, r * e, c.x, r * (e + h), e);
      System.arraycopy(st.feed, r * h, c.x, r * (e + h) + e, h);
    }
    c.top = decoder.forward(p, c.x, st.state, c.rnn).clone();
    float[] context = new float[b * hs];
    attention.forward(p, c.top, enc.outputs, enc.keys, enc.mask, b, enc.steps, c.att, context);
    for (int r = 0; r < b; r++) {
      System.arraycopy(context, r * hs, c.cat, r * (hs + h), hs);
      System.arraycopy(c.top, r * h, c.cat, r * (hs + h) + hs, h);
    }
    float[] ht = new float[b * h];
    combine.forward(p, c.cat, b, ht);
    Kernels.tanh(ht, 0, ht.length);
    System.arraycopy(ht, 0, st.feed, 0, ht.length);
    System.arraycopy(ht, 0, attentional, outOff, ht.length);
    return c;
  }

  /**
   * One step of decoding: log p(y_t) (B, V) given the previous tokens (B); advances {@code st}. When
   * {@code weights} is not null it receives the attention weights (B, S).
   */
  public float[] decodeStep(float[] p, Encoded enc, int[] prev, DecoderState st, float[] weights) {
    float[] ht = new float[enc.batch * spec.hidden()];
    StepCache c = step(p, enc, prev, 0, st, ht, 0);
    if (weights != null) {
      System.arraycopy(c.att.weights(), 0, weights, 0, enc.batch * enc.steps);
    }
    float[] logProbs = new float[enc.batch * spec.targetVocab()];
    out.logProbs(p, ht, enc.batch, logProbs);
    return logProbs;
  }

  /**
   * Forward and, when {@code grad} is not null, backward over a batch with teacher forcing. Returns the summed
   * NLL of the real target tokens; adds the gradient of that sum into grad.
   */
  public double loss(float[] p, Batch batch, float[] grad) {
    int b = batch.batch();
    int t = batch.targetSteps();
    int h = spec.hidden();
    int e = spec.embed();
    int hs = spec.encoderSize();
    Encoded enc = encode(p, batch.source(), batch.sourceLengths(), b, batch.sourceSteps());
    DecoderState st = new DecoderState(b);
    float[] attentional = new float[t * b * h];
    StepCache[] steps = new StepCache[t];
    for (int i = 0; i < t; i++) {
      steps[i] = step(p, enc, batch.targetIn(), i * b, st, attentional, i * b * h);
    }
    // The output layer over the rows of real targets only: the padding after shorter targets is often a third of
    // the (T·B) rows, and each would cost a softmax over the vocabulary.
    int[] real = new int[t * b];
    int n = 0;
    for (int r = 0; r < t * b; r++) {
      if (batch.targetOut()[r] >= 0) {
        real[n++] = r;
      }
    }
    float[] rows = new float[n * h];
    int[] targets = new int[n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(attentional, real[i] * h, rows, i * h, h);
      targets[i] = batch.targetOut()[real[i]];
    }
    float[] dRows = grad == null ? null : new float[n * h];
    int chunk = LanguageModel.MAX_CHUNK_ROWS;
    OutputLayer.Scratch scratch = out.newScratch(Math.max(1, Math.min(chunk, n)));
    double loss = 0;
    for (int r0 = 0; r0 < n; r0 += chunk) {
      loss += out.loss(p, rows, r0, Math.min(chunk, n - r0), targets, scratch, grad, dRows);
    }
    if (grad == null) {
      return loss;
    }
    float[] dAttentional = new float[t * b * h];
    for (int i = 0; i < n; i++) {
      System.arraycopy(dRows, i * h, dAttentional, real[i] * h, h);
    }
    float[] dFeed = new float[b * h];
    float[] dState = new float[b * decoder.stateSize()];
    float[] dEnc = new float[b * enc.steps * hs];
    float[] dKeys = enc.keys == null ? null : new float[enc.keys.length];
    float[] dEmb = new float[t * b * e];
    float[] dPre = new float[b * h];
    float[] dCat = new float[b * (hs + h)];
    float[] dContext = new float[b * hs];
    float[] dTop = new float[b * h];
    for (int i = t - 1; i >= 0; i--) {
      StepCache c = steps[i];
      for (int j = 0; j < b * h; j++) {
        float y = attentional[i * b * h + j];
        dPre[j] = (dAttentional[i * b * h + j] + dFeed[j]) * (1 - y * y);
      }
      combine.backward(p, c.cat, dPre, b, grad, dCat);
      for (int r = 0; r < b; r++) {
        System.arraycopy(dCat, r * (hs + h), dContext, r * hs, hs);
        System.arraycopy(dCat, r * (hs + h) + hs, dTop, r * h, h);
      }
      attention.backward(p, c.top, enc.outputs, enc.mask, b, enc.steps, c.att, dContext, dTop, dEnc, dKeys, grad);
      float[] dx = decoder.backward(p, dTop, dState, c.rnn, grad);
      for (int r = 0; r < b; r++) {
        System.arraycopy(dx, r * (e + h), dEmb, (i * b + r) * e, e);
        System.arraycopy(dx, r * (e + h) + e, dFeed, r * h, h);
      }
    }
    tgtEmb.backward(batch.targetIn(), t * b, dEmb, grad);
    attention.keysBackward(p, enc.outputs, b, enc.steps, dKeys, dEnc, grad);
    float[] dxs = encoder.backward(p, transpose(dEnc, b, enc.steps, hs), null, enc.cache, grad);
    srcEmb.backward(batch.source(), enc.steps * b, dxs, grad);
    return loss;
  }

  /** (A, B, n) to (B, A, n). */
  static float[] transpose(float[] x, int a, int b, int n) {
    float[] y = new float[x.length];
    for (int i = 0; i < a; i++) {
      for (int j = 0; j < b; j++) {
        System.arraycopy(x, (i * b + j) * n, y, (j * a + i) * n, n);
      }
    }
    return y;
  }

  private static float[] repeatRows(float[] x, int rows, int n, int k) {
    float[] y = new float[rows * k * n];
    for (int r = 0; r < rows * k; r++) {
      System.arraycopy(x, (r / k) * n, y, r * n, n);
    }
    return y;
  }

  private static float[] gatherRows(float[] x, int n, int[] rows) {
    float[] y = new float[rows.length * n];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(x, rows[i] * n, y, i * n, n);
    }
    return y;
  }

  private static int[] slice(int[] a, int from, int n) {
    return from == 0 && a.length == n ? a : java.util.Arrays.copyOfRange(a, from, from + n);
  }
}
