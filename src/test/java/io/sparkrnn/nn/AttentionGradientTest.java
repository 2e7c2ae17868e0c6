package io.sparkrnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkrnn.math.Rng;
import org.junit.jupiter.api.Test;

/**
 * Each attention score against finite differences, with loss = Σ context·R for random R, on a batch whose second
 * sentence is padded (its last source position masked): the parameters, the decoder state and the encoder outputs.
 */
class AttentionGradientTest {
  static final int B = 2;
  static final int S = 4;
  static final int H = 3;
  static final int A = 5;
  static final float[] MASK = {1, 1, 1, 1, 1, 1, 1, 0};

  @Test
  void dot() {
    check(Attention.Score.DOT);
  }

  @Test
  void general() {
    check(Attention.Score.GENERAL);
  }

  @Test
  void additive() {
    check(Attention.Score.ADDITIVE);
  }

  @Test
  void paddedPositionsGetNoWeightAndTheWeightsSumToOne() {
    Rng rng = new Rng(3);
    ParamLayout layout = new ParamLayout();
    Attention att = new Attention(layout, "attn", Attention.Score.GENERAL, H, H, A);
    float[] params = GradCheck.random(layout.size(), 0.5, rng);
    float[] enc = GradCheck.random(B * S * H, 1, rng);
    Attention.Step st = new Attention.Step(att, B, S);
    att.forward(params, GradCheck.random(B * H, 1, rng), enc, null, MASK, B, S, st, new float[B * H]);
    assertEquals(0f, st.weights()[B * S - 1]);
    for (int b = 0; b < B; b++) {
      double sum = 0;
      for (int s = 0; s < S; s++) {
        sum += st.weights()[b * S + s];
      }
      assertEquals(1.0, sum, 1e-6);
    }
    assertThrows(IllegalArgumentException.class, () -> new Attention(new ParamLayout(), "a", Attention.Score.DOT,
        3, 4, A));
  }

  private static void check(Attention.Score score) {
    Rng rng = new Rng(7);
    ParamLayout layout = new ParamLayout();
    Attention att = new Attention(layout, "attn", score, H, H, A);
    float[] params = GradCheck.random(layout.size(), 0.5, rng);
    float[] h = GradCheck.random(B * H, 1, rng);
    float[] enc = GradCheck.random(B * S * H, 1, rng);
    float[] r = GradCheck.random(B * H, 1, rng);
    float[][] x = {params, h, enc};
    java.util.function.ToDoubleFunction<float[]> loss = ignored -> {
      Attention.Step st = new Attention.Step(att, B, S);
      float[] c = new float[B * H];
      att.forward(x[0], x[1], x[2], att.keys(x[0], x[2], B, S), MASK, B, S, st, c);
      return GradCheck.dot(c, r, c.length);
    };
    Attention.Step st = new Attention.Step(att, B, S);
    float[] c = new float[B * H];
    att.forward(params, h, enc, att.keys(params, enc, B, S), MASK, B, S, st, c);
    float[] gradParams = new float[params.length];
    float[] gradH = new float[h.length];
    float[] gradEnc = new float[enc.length];
    float[] gradKeys = new float[B * S * A];
    att.backward(params, h, enc, MASK, B, S, st, r, gradH, gradEnc, gradKeys, gradParams);
    att.keysBackward(params, enc, B, S, gradKeys, gradEnc, gradParams);
    for (ParamLayout.View view : layout.views()) {
      GradCheck.check(view.name(), params, view.offset(), view.end(), gradParams, view.offset(), loss, 50, rng);
    }
    GradCheck.check("decoder state", h, 0, h.length, gradH, 0, loss, 50, rng);
    GradCheck.check("encoder outputs", enc, 0, enc.length, gradEnc, 0, loss, 50, rng);
  }
}
