package io.sparkrnn.nn;

import io.sparkrnn.math.Init;
import io.sparkrnn.math.Rng;

/**
 * Embedding → recurrent stack → output layer over the vocabulary (the full softmax or the adaptive one, see
 * {@link OutputLayer}) with its cross-entropy, with tensors {@code emb.weight}, {@code rnn.*}, {@code out.*}.
 * Immutable: the weights are the caller's flat {@code params}; per-shape buffers live in a {@link Workspace}.
 */
public final class LanguageModel {
  /**
   * Largest chunk of rows the output layer scores at once, so of the (T·B, V) logits held at once: 640 rows of a
   * 14,115-word vocabulary are 36 MB, and the output layer's GEMMs are as fast at this height as at the full one
   * (measured: 560-row steps).
   */
  static final int MAX_CHUNK_ROWS = 640;
  private final ModelSpec spec;
  private final ParamLayout layout = new ParamLayout();
  private final Embedding emb;
  private final Recurrent rnn;
  private final OutputLayer out;
  /** The output layer's own parameters are [outStart, layout.size()): registered last. */
  private final int outStart;

  public LanguageModel(ModelSpec spec) {
    this.spec = spec;
    this.emb = new Embedding(layout, "emb", spec.vocab(), spec.embed());
    this.rnn = spec.buildRecurrent(layout);
    this.outStart = layout.size();
    this.out = spec.buildOutput(layout, emb.weight());
  }

  public ModelSpec spec() {
    return spec;
  }

  public ParamLayout layout() {
    return layout;
  }

  /** The first of the output layer's own parameters, which run to the end of the layout. */
  public int outputStart() {
    return outStart;
  }

  /** Floats of carried state per stream. */
  public int stateSize() {
    return rnn.stateSize();
  }

  /** Buffers for windows of T steps and B streams, reusable across calls of that shape. */
  public static final class Workspace {
    final int steps;
    final int batch;
    /** Rows of logits computed at a time in training and evaluation: the (T·B, V) block in even chunks. */
    final int chunkRows;
    final float[] x; // (T, B, E)
    final OutputLayer.Scratch scores; // the output layer's buffers for chunkRows rows
    float[] logProbs; // (T, B, V) after a forward-only call
    final float[] dh; // (T, B, H)
    final Cache cache;
    float[] h; // (T, B, H) the recurrent output of the last forward, owned by the cache
    final DropoutBuffers dropped = new DropoutBuffers();
    /** The AR/TAR penalty of the last training window (not part of its returned loss, in its gradient). */
    double penalty;
    /** Told when the output layer's gradient is complete, before the recurrent backward pass (null: no one). */
    GradientReady ready;

    /** Who is told, in training windows from now on, that the output layer's gradient is complete (null: no one). */
    public void whenReady(GradientReady r) {
      this.ready = r;
    }

    Workspace(LanguageModel m, int steps, int batch, int maxChunkRows) {
      this.steps = steps;
      this.batch = batch;
      this.x = new float[steps * batch * m.spec.embed()];
      int rows = steps * batch;
      this.chunkRows = ceilDiv(rows, ceilDiv(rows, maxChunkRows));
      this.scores = m.out.newScratch(chunkRows);
      this.dh = new float[steps * batch * m.spec.hidden()];
      this.cache = m.rnn.newCache(steps, batch);
    }

    public int steps() {
      return steps;
    }

    public int batch() {
      return batch;
    }

    /** log p (T, B, V) of the next word at every position of the last forward-only call. */
    public float[] logProbs() {
      return logProbs;
    }
  }

  public Workspace newWorkspace(int steps, int batch) {
    return new Workspace(this, steps, batch, MAX_CHUNK_ROWS);
  }

  /** A workspace whose output layer runs at most {@code maxChunkRows} rows at a time. */
  Workspace newWorkspace(int steps, int batch, int maxChunkRows) {
    return new Workspace(this, steps, batch, maxChunkRows);
  }

  /** Initial weights drawn by {@code init}; see {@link ParamLayout#init}. */
  public float[] initParams(Init init, double scale, Rng rng) {
    return layout.init(init, scale, rng);
  }

  /** Forward only: fills ws.logProbs (T, B, V) for inputs (T, B) and carries {@code state} forward. */
  public void logProbs(float[] p, int[] inputs, float[] state, Workspace ws) {
    int rows = recurrent(p, inputs, state, ws);
    ws.logProbs = Tensors.ensure(ws.logProbs, rows * spec.vocab());
    out.logProbs(p, ws.h, rows, ws.logProbs);
  }

  /** Embedding and recurrent stack: fills ws.h (T, B, H); returns T·B. */
  private int recurrent(float[] p, int[] inputs, float[] state, Workspace ws) {
    int rows = ws.steps * ws.batch;
    emb.forward(p, inputs, rows, ws.x);
    if (rnn instanceof Stack) {
      Stack.dropBetween(ws.cache, null);
    }
    ws.h = rnn.forward(p, ws.x, state, ws.cache);
    return rows;
  }

  /**
   * Forward and, when {@code grad} is not null, backward over one window: inputs and targets are
   * (T, B) time-major token ids (target -1 = no prediction). Returns the summed NLL; adds the
   * gradient of that sum into grad. {@code state} is read and overwritten with the final state;
   * no gradient flows into it (truncated BPTT).
   */
  public double window(float[] p, int[] inputs, int[] targets, float[] state, Workspace ws, float[] grad) {
    return window(p, inputs, targets, state, ws, grad, null);
  }

  /**
   * {@link #window} in training with the dropout of {@code noise} (null: none) and its AR/TAR penalty, which goes
   * into the gradient and into {@code ws.penalty}, not into the returned NLL.
   */
  public double window(float[] p, int[] inputs, int[] targets, float[] state, Workspace ws, float[] grad,
      Noise noise) {
    int rows = ws.steps * ws.batch;
    DropoutBuffers d = ws.dropped;
    Regularization reg = noise == null ? Regularization.NONE : noise.reg();
    float[] q = d.weights(p, layout, noise);
    emb.forward(q, inputs, rows, ws.x);
    float[] inMask = d.mask(DropoutBuffers.IN, noise, reg.input(), ws, spec.embed());
    d.scaleWords(noise, inputs, rows, spec.embed(), ws.x);
    if (inMask != null) {
      Tensors.multiply(ws.x, inMask, inMask.length, ws.x);
    }
    if (rnn instanceof Stack) {
      Stack.dropBetween(ws.cache, d.between(noise, reg.hidden(), ws, spec.hidden(), spec.layers()));
    }
    ws.h = rnn.forward(q, ws.x, state, ws.cache);
    float[] h = ws.h;
    float[] outMask = d.mask(DropoutBuffers.OUT, noise, reg.output(), ws, spec.hidden());
    if (outMask != null) {
      d.h = Tensors.ensure(d.h, outMask.length);
      Tensors.multiply(ws.h, outMask, outMask.length, d.h);
      h = d.h;
    }
    // The output layer and its loss a chunk of rows at a time: every row's softmax is independent, and a
    // chunk's logits are no longer needed once its gradient has gone into dW, db and dh.
    double loss = 0;
    for (int r0 = 0; r0 < rows; r0 += ws.chunkRows) {
      int n = Math.min(ws.chunkRows, rows - r0);
      loss += out.loss(q, h, r0, n, targets, ws.scores, grad, ws.dh);
    }
    ws.penalty = 0;
    float[] dh = grad == null ? null : ws.dh;
    if (reg.ar() > 0) { // AR on the dropped output, whose gradient the output mask then carries back
      ws.penalty += Penalties.activation(reg.ar(), h, targets, rows, spec.hidden(), dh);
    }
    if (dh != null && outMask != null) {
      Tensors.multiply(dh, outMask, outMask.length, dh);
    }
    if (reg.tar() > 0) { // TAR on the raw output
      ws.penalty += Penalties.temporal(reg.tar(), ws.h, targets, ws.steps, ws.batch, spec.hidden(), dh);
    }
    if (grad == null) {
      return loss;
    }
    if (ws.ready != null) { // the output layer's gradient is complete: what follows does not touch it
      ws.ready.ready(outStart, layout.size());
    }
    d.beforeBackward(grad);
    float[] dx = rnn.backward(q, ws.dh, null, ws.cache, grad);
    d.afterBackward(grad);
    if (inMask != null) {
      Tensors.multiply(dx, inMask, inMask.length, dx);
    }
    d.scaleWords(noise, inputs, rows, spec.embed(), dx);
    emb.backward(inputs, rows, dx, grad);
    return loss;
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
