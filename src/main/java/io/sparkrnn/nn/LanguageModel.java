package io.sparkrnn.nn;

import io.sparkrnn.math.Init;
import io.sparkrnn.math.Rng;

/**
 * Embedding → recurrent stack → Dense over the vocabulary → softmax cross-entropy, with tensors
 * {@code emb.weight}, {@code rnn.*}, {@code out.weight}, {@code out.bias}. Immutable: the weights
 * are the caller's flat {@code params}; per-shape buffers live in a {@link Workspace}.
 */
public final class LanguageModel {
  private final ModelSpec spec;
  private final ParamLayout layout = new ParamLayout();
  private final Embedding emb;
  private final Recurrent rnn;
  private final Dense out;

  public LanguageModel(ModelSpec spec) {
    this.spec = spec;
    this.emb = new Embedding(layout, "emb", spec.vocab(), spec.embed());
    this.rnn = spec.buildRecurrent(layout);
    this.out = new Dense(layout, "out", spec.hidden(), spec.vocab());
  }

  public ModelSpec spec() {
    return spec;
  }

  public ParamLayout layout() {
    return layout;
  }

  /** Floats of carried state per stream. */
  public int stateSize() {
    return rnn.stateSize();
  }

  /** Buffers for windows of T steps and B streams, reusable across calls of that shape. */
  public static final class Workspace {
    final int steps;
    final int batch;
    final float[] x; // (T, B, E)
    final float[] logits; // (T, B, V), overwritten by its gradient
    final float[] dh; // (T, B, H)
    final Cache cache;
    float[] h; // (T, B, H) the recurrent output of the last forward, owned by the cache

    Workspace(LanguageModel m, int steps, int batch) {
      this.steps = steps;
      this.batch = batch;
      this.x = new float[steps * batch * m.spec.embed()];
      this.logits = new float[steps * batch * m.spec.vocab()];
      this.dh = new float[steps * batch * m.spec.hidden()];
      this.cache = m.rnn.newCache(steps, batch);
    }

    public int steps() {
      return steps;
    }

    public int batch() {
      return batch;
    }

    /** Logits (T, B, V) of the last forward-only call. */
    public float[] logits() {
      return logits;
    }
  }

  public Workspace newWorkspace(int steps, int batch) {
    return new Workspace(this, steps, batch);
  }

  /** Initial weights drawn by {@code init}; see {@link ParamLayout#init}. */
  public float[] initParams(Init init, double scale, Rng rng) {
    return layout.init(init, scale, rng);
  }

  /** Forward only: fills ws.logits (T, B, V) for inputs (T, B) and carries {@code state} forward. */
  public void logits(float[] p, int[] inputs, float[] state, Workspace ws) {
    int rows = ws.steps * ws.batch;
    emb.forward(p, inputs, rows, ws.x);
    ws.h = rnn.forward(p, ws.x, state, ws.cache);
    out.forward(p, ws.h, rows, ws.logits);
  }

  /**
   * Forward and, when {@code grad} is not null, backward over one window: inputs and targets are
   * (T, B) time-major token ids (target -1 = no prediction). Returns the summed NLL; adds the
   * gradient of that sum into grad. {@code state} is read and overwritten with the final state;
   * no gradient flows into it (truncated BPTT).
   */
  public double window(float[] p, int[] inputs, int[] targets, float[] state, Workspace ws, float[] grad) {
    int rows = ws.steps * ws.batch;
    logits(p, inputs, state, ws);
    double loss = SoftmaxCrossEntropy.forwardBackward(ws.logits, rows, spec.vocab(), targets, grad != null);
    if (grad == null) {
      return loss;
    }
    out.backward(p, ws.h, ws.logits, rows, grad, ws.dh);
    float[] dx = rnn.backward(p, ws.dh, null, ws.cache, grad);
    emb.backward(inputs, rows, dx, grad);
    return loss;
  }

}
