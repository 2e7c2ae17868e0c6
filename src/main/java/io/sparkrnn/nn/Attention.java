package io.sparkrnn.nn;

import io.sparkrnn.math.Blas;
import io.sparkrnn.math.Kernels;

/**
 * Attention of a decoder state over the encoder's outputs, one decoder step for B sentences at a time (input
 * feeding makes each step depend on the last): scores over the S source positions, a softmax over the positions
 * that the mask marks as real (padding gets weight 0), and the context c = Σ_s a_s·h_s. Scores:
 * <ul>
 *   <li>{@code dot} (Luong): hᵀ·h_s, which needs the decoder and encoder sizes to be equal;
 *   <li>{@code general} (Luong): hᵀ·W·h_s, W of {@code attn.weight} (Hs, Hd) as nn.Linear(Hd, Hs, bias=False);
 *   <li>{@code additive} (Bahdanau): vᵀ·tanh(W·h + U·h_s), {@code attn.query} (A, Hd), {@code attn.key} (A, Hs),
 *       {@code attn.v} (1, A); the keys U·h_s are computed once per batch of sentences ({@link #keys}).
 * </ul>
 * Layouts: encoder outputs (B, S, Hs) batch-major, mask (B, S) with 1 for a real position, states (B, Hd).
 */
public final class Attention {
  public enum Score { DOT, GENERAL, ADDITIVE }

  private final Score score;
  private final int hd;
  private final int hs;
  private final int a;
  private final ParamLayout.View w;
  private final ParamLayout.View u;
  private final ParamLayout.View v;

  /** {@code size} is A, the additive score's hidden size (ignored by the others). */
  public Attention(ParamLayout layout, String prefix, Score score, int decoderSize, int encoderSize, int size) {
    if (score == Score.DOT && decoderSize != encoderSize) {
      throw new IllegalArgumentException("dot attention needs the decoder size (" + decoderSize + ") to equal the"
          + " encoder's output size (" + encoderSize + "); use general or additive");
    }
    this.score = score;
    this.hd = decoderSize;
    this.hs = encoderSize;
    this.a = size;
    this.w = score == Score.GENERAL ? layout.add(prefix + ".weight", hs, hd)
        : score == Score.ADDITIVE ? layout.add(prefix + ".query", a, hd) : null;
    this.u = score == Score.ADDITIVE ? layout.add(prefix + ".key", a, hs) : null;
    this.v = score == Score.ADDITIVE ? layout.add(prefix + ".v", 1, a) : null;
  }

  /** What one step keeps for its backward pass. */
  public static final class Step {
    final float[] weights; // (B, S)
    final float[] query; // general: (B, Hs) W·h; additive: (B, A) W·h
    final float[] hidden; // additive: (B, S, A) tanh(W·h + U·h_s)

    public Step(Attention att, int batch, int sourceLength) {
      weights = new float[batch * sourceLength];
      query = new float[batch * Math.max(att.hs, att.a)];
      hidden = att.score == Score.ADDITIVE ? new float[batch * sourceLength * att.a] : null;
    }

    /** The attention weights (B, S) of the last forward step (for heatmaps). */
    public float[] weights() {
      return weights;
    }
  }

  /** Additive attention's keys U·h_s (B, S, A) for the batch's encoder outputs; null for the other scores. */
  public float[] keys(float[] params, float[] enc, int batch, int sourceLength) {
    if (score != Score.ADDITIVE) {
      return null;
    }
    float[] k = new float[batch * sourceLength * a];
    Blas.gemm(false, true, batch * sourceLength, a, hs, 1f, enc, 0, hs, params, u.offset(), hs, 0f, k, 0, a);
    return k;
  }

  /** Context (B, Hs) of decoder states h (B, Hd) over enc (B, S, Hs); {@code st} keeps the weights. */
  public void forward(float[] params, float[] h, float[] enc, float[] keys, float[] mask, int batch, int sourceLength,
      Step st, float[] context) {
    int sl = sourceLength;
    int qn = queryRows();
    float[] q = st.query;
    if (score != Score.DOT) {
      // The queries of all B states in one GEMM: q (B, qn) = h·Wᵀ.
      Blas.gemm(false, true, batch, qn, hd, 1f, h, 0, hd, params, w.offset(), hd, 0f, q, 0, qn);
    }
    for (int b = 0; b < batch; b++) {
      int qo = b * qn;
      if (score == Score.ADDITIVE) {
        int h0 = b * sl * a;
        for (int s = 0; s < sl; s++) {
          for (int j = 0; j < a; j++) {
            st.hidden[h0 + s * a + j] = q[qo + j] + keys[h0 + s * a + j];
          }
        }
        Kernels.tanh(st.hidden, h0, sl * a);
      }
      double max = Double.NEGATIVE_INFINITY;
      for (int s = 0; s < sl; s++) {
        int e = (b * sl + s) * hs;
        double sc;
        if (score == Score.ADDITIVE) {
          sc = 0;
          int ho = (b * sl + s) * a;
          for (int j = 0; j < a; j++) {
            sc += params[v.offset() + j] * st.hidden[ho + j];
          }
        } else {
          float[] x = score == Score.DOT ? h : q;
          int xo = score == Score.DOT ? b * hd : qo;
          sc = 0;
          for (int j = 0; j < hs; j++) {
            sc += x[xo + j] * enc[e + j];
          }
        }
        st.weights[b * sl + s] = (float) sc;
        if (mask[b * sl + s] > 0) {
          max = Math.max(max, sc);
        }
      }
      double sum = 0;
      for (int s = 0; s < sl; s++) {
        int i = b * sl + s;
        double p = mask[i] > 0 ? Math.exp(st.weights[i] - max) : 0;
        st.weights[i] = (float) p;
        sum += p;
      }
      java.util.Arrays.fill(context, b * hs, b * hs + hs, 0f);
      for (int s = 0; s < sl; s++) {
        int i = b * sl + s;
        st.weights[i] = sum > 0 ? (float) (st.weights[i] / sum) : 0f;
        float p = st.weights[i];
        for (int j = 0; j < hs; j++) {
          context[b * hs + j] += p * enc[i * hs + j];
        }
      }
    }
  }

  /**
   * Given dContext (B, Hs): adds into gradH (B, Hd), gradEnc (B, S, Hs), gradKeys (additive, B, S, A) and the
   * parameter gradient. Call {@link #keysBackward} once after the last step for the keys' share.
   */
  public void backward(float[] params, float[] h, float[] enc, float[] mask, int batch, int sourceLength, Step st,
      float[] dContext, float[] gradH, float[] gradEnc, float[] gradKeys, float[] gradParams) {
    int sl = sourceLength;
    int qn = queryRows();
    float[] dScore = new float[sl];
    float[] dq = new float[batch * qn];
    for (int b = 0; b < batch; b++) {
      double mean = 0;
      for (int s = 0; s < sl; s++) {
        int i = b * sl + s;
        double da = 0;
        for (int j = 0; j < hs; j++) {
          da += dContext[b * hs + j] * enc[i * hs + j];
          gradEnc[i * hs + j] += st.weights[i] * dContext[b * hs + j];
        }
        dScore[s] = (float) da;
        mean += st.weights[i] * da;
      }
      for (int s = 0; s < sl; s++) {
        int i = b * sl + s;
        dScore[s] = mask[i] > 0 ? (float) (st.weights[i] * (dScore[s] - mean)) : 0f;
      }
      int qo = b * qn;
      for (int s = 0; s < sl; s++) {
        int i = b * sl + s;
        float g = dScore[s];
        if (score == Score.ADDITIVE) {
          for (int j = 0; j < a; j++) {
            float t = st.hidden[i * a + j];
            gradParams[v.offset() + j] += g * t;
            float du = g * params[v.offset() + j] * (1 - t * t);
            dq[qo + j] += du;
            gradKeys[i * a + j] += du;
          }
        } else {
          float[] x = score == Score.DOT ? h : st.query;
          int xo = score == Score.DOT ? b * hd : qo;
          for (int j = 0; j < hs; j++) {
            gradEnc[i * hs + j] += g * x[xo + j];
            dq[qo + j] += g * enc[i * hs + j];
          }
        }
      }
    }
    if (score == Score.DOT) {
      for (int j = 0; j < batch * hd; j++) {
        gradH[j] += dq[j];
      }
    } else {
      // q = h·Wᵀ for all B states: gradH += dq·W and dW += dqᵀ·h, one GEMM each.
      Blas.gemm(false, false, batch, hd, qn, 1f, dq, 0, qn, params, w.offset(), hd, 1f, gradH, 0, hd);
      Blas.gemm(true, false, qn, hd, batch, 1f, dq, 0, qn, h, 0, hd, 1f, gradParams, w.offset(), hd);
    }
  }

  /** Floats of one state's query: W·h for general (Hs) and additive (A), h itself for dot (Hd). */
  private int queryRows() {
    return score == Score.GENERAL ? hs : score == Score.ADDITIVE ? a : hd;
  }

  /** Additive attention: the keys' gradient (B, S, A) into gradEnc and U's gradient. No-op for the others. */
  public void keysBackward(float[] params, float[] enc, int batch, int sourceLength, float[] gradKeys, float[] gradEnc,
      float[] gradParams) {
    if (score != Score.ADDITIVE) {
      return;
    }
    int rows = batch * sourceLength;
    Blas.gemm(false, false, rows, hs, a, 1f, gradKeys, 0, a, params, u.offset(), hs, 1f, gradEnc, 0, hs);
    Blas.gemm(true, false, a, hs, rows, 1f, gradKeys, 0, a, enc, 0, hs, 1f, gradParams, u.offset(), hs);
  }
}
