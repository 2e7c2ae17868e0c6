package io.sparkrnn.nn;

import io.sparkrnn.math.Kernels;
import java.util.Arrays;

/**
 * GRU in PyTorch's formulation (nn.GRU), gates packed r, z, n:
 * <pre>
 *   r = σ(W_ir·x + b_ir + W_hr·h + b_hr)      z = σ(W_iz·x + b_iz + W_hz·h + b_hz)
 *   n = tanh(W_in·x + b_in + r⊙(W_hn·h + b_hn))
 *   h_t = (1 - z)⊙n + z⊙h_{t-1}
 * </pre>
 * r multiplies the hidden part of n including its bias, so b_hh cannot be folded into b_ih and
 * the input-side and hidden-side gate gradients differ in the n block. State: h (B, H).
 */
public final class Gru implements Recurrent {
  private final GateWeights w;

  public Gru(ParamLayout layout, String prefix, String suffix, int in, int hidden) {
    this.w = new GateWeights(layout, prefix, suffix, 3, in, hidden);
  }

  static final class GruCache extends Cache {
    float[] x; // (T, B, in), the caller's
    final float[] h0; // (B, H)
    final float[] gates; // (T, B, 3H) activations r, z, n
    final float[] hn; // (T, B, H) W_hn·h + b_hn
    final float[] gh; // (B, 3H) hidden-side pre-activations of one step
    final float[] h; // (T, B, H) outputs
    final float[] dGi; // (T, B, 3H) input-side gate gradients
    final float[] dGh; // (T, B, 3H) hidden-side gate gradients
    final float[] dx; // (T, B, in)
    final float[] dh; // (B, H)

    GruCache(int steps, int batch, int in, int hidden) {
      super(steps, batch);
      int tbh = steps * batch * hidden;
      this.h0 = new float[batch * hidden];
      this.gates = new float[3 * tbh];
      this.hn = new float[tbh];
      this.gh = new float[3 * batch * hidden];
      this.h = new float[tbh];
      this.dGi = new float[3 * tbh];
      this.dGh = new float[3 * tbh];
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
    return new GruCache(steps, batch, w.in, w.hidden);
  }

  @Override
  public float[] forward(float[] p, float[] x, float[] state, Cache cache) {
    GruCache k = (GruCache) cache;
    final int hd = w.hidden;
    final int bh = k.batch() * hd;
    k.x = x;
    System.arraycopy(state, 0, k.h0, 0, bh);
    w.projectInput(p, x, k.steps() * k.batch(), k.gates, false);
    for (int t = 0; t < k.steps(); t++) {
      float[] hPrev = t == 0 ? k.h0 : k.h;
      int prevOff = t == 0 ? 0 : (t - 1) * bh;
      w.addRecurrent(p, hPrev, prevOff, k.batch(), k.gh, 0, true);
      for (int b = 0; b < k.batch(); b++) {
        int g0 = (t * k.batch() + b) * 3 * hd;
        int q0 = b * 3 * hd;
        int s = t * bh + b * hd;
        int sp = prevOff + b * hd;
        // r, z = σ(input part + hidden part); n = tanh(input part + r⊙hidden part); whole rows at a time.
        for (int j = 0; j < 2 * hd; j++) {
          k.gates[g0 + j] += k.gh[q0 + j];
        }
        Kernels.sigmoid(k.gates, g0, 2 * hd);
        for (int j = 0; j < hd; j++) {
          float hnj = k.gh[q0 + 2 * hd + j];
          k.hn[s + j] = hnj;
          k.gates[g0 + 2 * hd + j] += k.gates[g0 + j] * hnj;
        }
        Kernels.tanh(k.gates, g0 + 2 * hd, hd);
        for (int j = 0; j < hd; j++) {
          float z = k.gates[g0 + hd + j];
          k.h[s + j] = (1f - z) * k.gates[g0 + 2 * hd + j] + z * hPrev[sp + j];
        }
      }
    }
    System.arraycopy(k.h, (k.steps() - 1) * bh, state, 0, bh);
    return k.h;
  }

  @Override
  public float[] backward(float[] p, float[] gradOut, float[] gradState, Cache cache, float[] g) {
    GruCache k = (GruCache) cache;
    final int hd = w.hidden;
    final int bh = k.batch() * hd;
    if (gradState != null) {
      System.arraycopy(gradState, 0, k.dh, 0, bh);
    } else {
      Arrays.fill(k.dh, 0f);
    }
    for (int t = k.steps() - 1; t >= 0; t--) {
      float[] hPrev = t == 0 ? k.h0 : k.h;
      int prevOff = t == 0 ? 0 : (t - 1) * bh;
      for (int b = 0; b < k.batch(); b++) {
        int g0 = (t * k.batch() + b) * 3 * hd;
        int s = t * bh + b * hd;
        int sb = b * hd;
        for (int j = 0; j < hd; j++) {
          float r = k.gates[g0 + j];
          float z = k.gates[g0 + hd + j];
          float n = k.gates[g0 + 2 * hd + j];
          float dh = gradOut[s + j] + k.dh[sb + j];
          float dan = dh * (1f - z) * (1f - n * n);
          float daz = dh * (hPrev[prevOff + sb + j] - n) * z * (1f - z);
          float dar = dan * k.hn[s + j] * r * (1f - r);
          k.dGi[g0 + j] = dar;
          k.dGi[g0 + hd + j] = daz;
          k.dGi[g0 + 2 * hd + j] = dan;
          k.dGh[g0 + j] = dar;
          k.dGh[g0 + hd + j] = daz;
          k.dGh[g0 + 2 * hd + j] = dan * r;
          k.dh[sb + j] = dh * z;
        }
      }
      w.gradPreviousHidden(p, k.dGh, t * 3 * bh, k.batch(), k.dh, true); // dh_{t-1} = dh⊙z + dGh·W_hh
    }
    if (gradState != null) {
      System.arraycopy(k.dh, 0, gradState, 0, bh);
    }
    w.addHiddenGrads(k.dGh, k.h0, k.h, k.steps(), k.batch(), g);
    w.addInputGrads(p, k.dGi, k.x, k.steps() * k.batch(), g, k.dx);
    return k.dx;
  }

}
