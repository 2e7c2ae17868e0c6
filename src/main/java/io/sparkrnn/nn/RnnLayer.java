package io.sparkrnn.nn;

import io.sparkrnn.math.Activation;

/**
 * Elman RNN as PyTorch's nn.RNN: h_t = f(W_ih·x_t + b_ih + W_hh·h_{t-1} + b_hh) with f = tanh,
 * sigmoid or ReLU. State: h (B, H).
 */
public final class RnnLayer implements Recurrent {
  private final GateWeights w;
  private final Activation act;

  public RnnLayer(ParamLayout layout, String prefix, String suffix, int in, int hidden, Activation act) {
    this.w = new GateWeights(layout, prefix, suffix, 1, in, hidden);
    this.act = act;
  }

  static final class RnnCache extends Cache {
    float[] x; // (T, B, in), the caller's
    final float[] h0; // (B, H)
    final float[] h; // (T, B, H) outputs
    final float[] dA; // (T, B, H) gradient before the activation
    final float[] dx; // (T, B, in)
    final float[] dh; // (B, H)

    RnnCache(int steps, int batch, int in, int hidden) {
      super(steps, batch);
      this.h0 = new float[batch * hidden];
      this.h = new float[steps * batch * hidden];
      this.dA = new float[steps * batch * hidden];
      this.dx = new float[steps * batch * in];
      this.dh = new float[batch * hidden];
    }
  }

  @Override
  public int inputSize() {
    return w.in;
  }

  @Override
  public int outputSize() {
    return w.hidden;
  }

  @Override
  public int stateSize() {
    return w.hidden;
  }

  @Override
  public Cache newCache(int steps, int batch) {
    return new RnnCache(steps, batch, w.in, w.hidden);
  }

  @Override
  public float[] forward(float[] p, float[] x, float[] state, Cache cache) {
    RnnCache c = (RnnCache) cache;
    int bh = c.batch() * w.hidden;
    c.x = x;
    System.arraycopy(state, 0, c.h0, 0, bh);
    w.projectInput(p, x, c.steps() * c.batch(), c.h, true);
    for (int t = 0; t < c.steps(); t++) {
      float[] prev = t == 0 ? c.h0 : c.h;
      int prevOff = t == 0 ? 0 : (t - 1) * bh;
      w.addRecurrent(p, prev, prevOff, c.batch(), c.h, t * bh, false);
      act.apply(c.h, t * bh, bh);
    }
    System.arraycopy(c.h, (c.steps() - 1) * bh, state, 0, bh);
    return c.h;
  }

  @Override
  public float[] backward(float[] p, float[] gradOut, float[] gradState, Cache cache, float[] g) {
    RnnCache c = (RnnCache) cache;
    int bh = c.batch() * w.hidden;
    if (gradState != null) {
      System.arraycopy(gradState, 0, c.dh, 0, bh);
    } else {
      java.util.Arrays.fill(c.dh, 0f);
    }
    for (int t = c.steps() - 1; t >= 0; t--) {
      int off = t * bh;
      for (int i = 0; i < bh; i++) {
        c.dA[off + i] = (gradOut[off + i] + c.dh[i]) * act.derivative(c.h[off + i]);
      }
      w.gradPreviousHidden(p, c.dA, off, c.batch(), c.dh, false);
    }
    if (gradState != null) {
      System.arraycopy(c.dh, 0, gradState, 0, bh);
    }
    w.addHiddenGrads(c.dA, c.h0, c.h, c.steps(), c.batch(), g);
    w.addInputGrads(p, c.dA, c.x, c.steps() * c.batch(), g, c.dx);
    return c.dx;
  }
}
