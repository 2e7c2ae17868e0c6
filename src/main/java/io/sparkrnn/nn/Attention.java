package io.sparkrnn.nn;

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
    for (int r = 0; r < batch * sourceLength; r++) {
      matVec(params, u.offset(), a, hs, enc, r * hs, k, r * a);
    }
    return k;
  }

  /** Context (B, Hs) of decoder states h (B, Hd) over enc (B, S, Hs); {@code st} keeps the weights. */
  public void forward(float[] params, float[] h, float[] enc, float[] keys, float[] mask, int batch, int sourceLength,
      Step st, float[] context) {
    int sl = sourceLength;
    for (int b = 0; b < batch; b++) {
      float[] q = st.query;
      int qo = b * Math.max(hs, a);
      if (score == Score.GENERAL) {
        matVec(params, w.offset(), hs, hd, h, b * hd, q, qo);
      } else if (score == Score.ADDITIVE) {
        matVec(params, w.offset(), a, hd, h, b * hd, q, qo);
      }
      double max = Double.NEGATIVE_INFINITY;
      for (int s = 0; s < sl; s++) {
        int e = (b * sl + s) * hs;
        double sc;
        if (score == Score.ADDITIVE) {
          sc = 0;
          int ho = (b * sl + s) * a;
          for (int j = 0; j < a; j++) {
            float t = (float) Math.tanh(q[qo + j] + keys[ho + j]);
            st.hidden[ho + j] = t;
            sc += params[v.offset() + j] * t;
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
    float[] dScore = new float[sl];
    float[] dq = new float[Math.max(hs, a)];
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
      java.util.Arrays.fill(dq, 0f);
      int qo = b * Math.max(hs, a);
      for (int s = 0; s < sl; s++) {
        int i = b * sl + s;
        float g = dScore[s];
        if (score == Score.ADDITIVE) {
          for (int j = 0; j < a; j++) {
            float t = st.hidden[i * a + j];
            gradParams[v.offset() + j] += g * t;
            float du = g * params[v.offset() + j] * (1 - t * t);
            dq[j] += du;
            gradKeys[i * a + j] += du;
          }
        } else {
          float[] x = score == Score.DOT ? h : st.query;
          int xo = score == Score.DOT ? b * hd : qo;
          for (int j = 0; j < hs; j++) {
            gradEnc[i * hs + j] += g * x[xo + j];
            dq[j] += g * enc[i * hs + j];
          }
        }
      }
      if (score == Score.DOT) {
        for (int j = 0; j < hd; j++) {
          gradH[b * hd + j] += dq[j];
        }
      } else {
        int rows = score == Score.GENERAL ? hs : a;
        linearBackward(params, w.offset(), rows, hd, h, b * hd, dq, 0, gradH, b * hd, gradParams);
      }
    }
  }

  /** Additive attention: the keys' gradient (B, S, A) into gradEnc and U's gradient. No-op for the others. */
  public void keysBackward(float[] params, float[] enc, int batch, int sourceLength, float[] gradKeys, float[] gradEnc,
      float[] gradParams) {
    if (score != Score.ADDITIVE) {
      return;
    }
    for (int r = 0; r < batch * sourceLength; r++) {
      linearBackward(params, u.offset(), a, hs, enc, r * hs, gradKeys, r * a, gradEnc, r * hs, gradParams);
    }
  }

  /** y[yo..] = M·x[xo..] for M (rows, cols) at params[m]. */
  private static void matVec(float[] params, int m, int rows, int cols, float[] x, int xo, float[] y, int yo) {
    for (int r = 0; r < rows; r++) {
      double s = 0;
      for (int c = 0; c < cols; c++) {
        s += params[m + r * cols + c] * x[xo + c];
      }
      y[yo + r] = (float) s;
    }
  }

  /** For y = M·x: gradX[gxo..] += Mᵀ·dy[dyo..], dM += dy·xᵀ. */
  private static void linearBackward(float[] params, int m, int rows, int cols, float[] x, int xo, float[] dy,
      int dyo, float[] gradX, int gxo, float[] gradParams) {
    for (int r = 0; r < rows; r++) {
      float g = dy[dyo + r];
      if (g == 0) {
        continue;
      }
      for (int c = 0; c < cols; c++) {
        gradX[gxo + c] += params[m + r * cols + c] * g;
        gradParams[m + r * cols + c] += g * x[xo + c];
      }
    }
  }
}
