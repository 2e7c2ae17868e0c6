package io.sparkrnn.nn;

import io.sparkrnn.math.Kernels;
import java.util.Arrays;

/**
 * LSTM as PyTorch's nn.LSTM, gates packed in the order i, f, g, o:
 * <pre>
 *   [a_i a_f a_g a_o] = W_ih·x_t + b_ih + W_hh·h_{t-1} + b_hh
 *   i = σ(a_i + p_i⊙c_{t-1})   f = σ(a_f + p_f⊙c_{t-1})   g = tanh(a_g)
 *   c_t = f⊙c_{t-1} + i⊙g
 *   o = σ(a_o + p_o⊙c_t)       h_t = o⊙tanh(c_t)
 * </pre>
 * The peephole terms p (Gers and Schmidhuber 2000) exist only when enabled, as the tensor
 * {@code weight_peephole} (3, H) with rows i, f, o; PyTorch has no such tensor.
 * State per stream: h (H) then c (H), stored as [h (B, H) | c (B, H)].
 */
public final class Lstm implements Recurrent {
  private final GateWeights w;
  private final ParamLayout.View peep; // null without peepholes

  public Lstm(ParamLayout layout, String prefix, String suffix, int in, int hidden, boolean peephole) {
    this.w = new GateWeights(layout, prefix, suffix, 4, in, hidden);
    this.peep = peephole ? layout.add(prefix + ".weight_peephole" + suffix, 3, hidden) : null;
  }

  static final class LstmCache extends Cache {
    float[] x; // (T, B, in), the caller's
    final float[] h0; // (B, H)
    final float[] c0; // (B, H)
    final float[] gates; // (T, B, 4H) activations i, f, g, o
    final float[] c; // (T, B, H)
    final float[] tc; // (T, B, H) tanh(c)
    final float[] h; // (T, B, H) outputs
    final float[] dGates; // (T, B, 4H)
    final float[] dx; // (T, B, in)
    final float[] dh; // (B, H)
    final float[] dc; // (B, H)

    LstmCache(int steps, int batch, int in, int hidden) {
      super(steps, batch);
      int tbh = steps * batch * hidden;
      this.h0 = new float[batch * hidden];
      this.c0 = new float[batch * hidden];
      this.gates = new float[4 * tbh];
      this.c = new float[tbh];
      this.tc = new float[tbh];
      this.h = new float[tbh];
      this.dGates = new float[4 * tbh];
      this.dx = new float[steps * batch * in];
      this.dh = new float[batch * hidden];
      this.dc = new float[batch * hidden];
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
    return 2 * w.hidden;
  }

  @Override
  public Cache newCache(int steps, int batch) {
    return new LstmCache(steps, batch, w.in, w.hidden);
  }

  @Override
  public float[] forward(float[] p, float[] x, float[] state, Cache cache) {
    LstmCache k = (LstmCache) cache;
    final int hn = w.hidden;
    final int bh = k.batch() * hn;
    k.x = x;
    System.arraycopy(state, 0, k.h0, 0, bh);
    System.arraycopy(state, bh, k.c0, 0, bh);
    w.projectInput(p, x, k.steps() * k.batch(), k.gates, true);
    final int pi = peep == null ? -1 : peep.offset();
    for (int t = 0; t < k.steps(); t++) {
      float[] hPrev = t == 0 ? k.h0 : k.h;
      float[] cPrev = t == 0 ? k.c0 : k.c;
      int prevOff = t == 0 ? 0 : (t - 1) * bh;
      w.addRecurrent(p, hPrev, prevOff, k.batch(), k.gates, t * 4 * bh, false);
      for (int b = 0; b < k.batch(); b++) {
        cell(p, pi, k, (t * k.batch() + b) * 4 * hn, cPrev, prevOff + b * hn, t * bh + b * hn);
      }
    }
    int last = (k.steps() - 1) * bh;
    System.arraycopy(k.h, last, state, 0, bh);
    System.arraycopy(k.c, last, state, bh, bh);
    return k.h;
  }

  /**
   * One stream's cell at one step: gate pre-activations at gates[g0, g0+4H) become i, f, g, o; writes c, tanh(c)
   * and h at s. The non-linearities run over whole gate rows (vectorised), the products in plain loops.
   */
  private void cell(float[] p, int pi, LstmCache k, int g0, float[] cPrev, int sp, int s) {
    final int hn = w.hidden;
    final float[] gates = k.gates;
    if (pi >= 0) {
      for (int j = 0; j < hn; j++) {
        gates[g0 + j] += p[pi + j] * cPrev[sp + j];
        gates[g0 + hn + j] += p[pi + hn + j] * cPrev[sp + j];
      }
    }
    Kernels.sigmoid(gates, g0, 2 * hn);
    Kernels.tanh(gates, g0 + 2 * hn, hn);
    for (int j = 0; j < hn; j++) {
      k.c[s + j] = gates[g0 + hn + j] * cPrev[sp + j] + gates[g0 + j] * gates[g0 + 2 * hn + j];
    }
    if (pi >= 0) {
      for (int j = 0; j < hn; j++) {
        gates[g0 + 3 * hn + j] += p[pi + 2 * hn + j] * k.c[s + j];
      }
    }
    Kernels.sigmoid(gates, g0 + 3 * hn, hn);
    System.arraycopy(k.c, s, k.tc, s, hn);
    Kernels.tanh(k.tc, s, hn);
    for (int j = 0; j < hn; j++) {
      k.h[s + j] = gates[g0 + 3 * hn + j] * k.tc[s + j];
    }
  }

  @Override
  public float[] backward(float[] p, float[] gradOut, float[] gradState, Cache cache, float[] g) {
    LstmCache k = (LstmCache) cache;
    final int hn = w.hidden;
    final int bh = k.batch() * hn;
    if (gradState != null) {
      System.arraycopy(gradState, 0, k.dh, 0, bh);
      System.arraycopy(gradState, bh, k.dc, 0, bh);
    } else {
      Arrays.fill(k.dh, 0f);
      Arrays.fill(k.dc, 0f);
    }
    final int pi = peep == null ? -1 : peep.offset();
    for (int t = k.steps() - 1; t >= 0; t--) {
      float[] cPrev = t == 0 ? k.c0 : k.c;
      int prevOff = t == 0 ? 0 : (t - 1) * bh;
      for (int b = 0; b < k.batch(); b++) {
        int g0 = (t * k.batch() + b) * 4 * hn;
        int s = t * bh + b * hn;
        int sb = b * hn;
        int sp = prevOff + b * hn;
        for (int j = 0; j < hn; j++) {
          float i = k.gates[g0 + j];
          float f = k.gates[g0 + hn + j];
          float gg = k.gates[g0 + 2 * hn + j];
          float o = k.gates[g0 + 3 * hn + j];
          float tc = k.tc[s + j];
          float cp = cPrev[sp + j];
          float dh = gradOut[s + j] + k.dh[sb + j];
          float dao = dh * tc * o * (1f - o);
          float dc = k.dc[sb + j] + dh * o * (1f - tc * tc);
          if (pi >= 0) {
            dc += dao * p[pi + 2 * hn + j];
          }
          float dai = dc * gg * i * (1f - i);
          float daf = dc * cp * f * (1f - f);
          float dag = dc * i * (1f - gg * gg);
          float dcPrev = dc * f;
          if (pi >= 0) {
            dcPrev += dai * p[pi + j] + daf * p[pi + hn + j];
            g[pi + j] += dai * cp;
            g[pi + hn + j] += daf * cp;
            g[pi + 2 * hn + j] += dao * k.c[s + j];
          }
          k.dc[sb + j] = dcPrev;
          k.dGates[g0 + j] = dai;
          k.dGates[g0 + hn + j] = daf;
          k.dGates[g0 + 2 * hn + j] = dag;
          k.dGates[g0 + 3 * hn + j] = dao;
        }
      }
      w.gradPreviousHidden(p, k.dGates, t * 4 * bh, k.batch(), k.dh, false);
    }
    if (gradState != null) {
      System.arraycopy(k.dh, 0, gradState, 0, bh);
      System.arraycopy(k.dc, 0, gradState, bh, bh);
    }
    w.addHiddenGrads(k.dGates, k.h0, k.h, k.steps(), k.batch(), g);
    w.addInputGrads(p, k.dGates, k.x, k.steps() * k.batch(), g, k.dx);
    return k.dx;
  }
}
