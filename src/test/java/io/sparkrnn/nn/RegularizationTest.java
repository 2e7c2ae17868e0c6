package io.sparkrnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkrnn.math.Activation;
import io.sparkrnn.math.Rng;
import org.junit.jupiter.api.Test;

/**
 * Dropout of every kind and the AR/TAR penalties: gradients against finite differences with the masks of one
 * step held fixed, and masks that depend on (seed, step, stream) only.
 */
class RegularizationTest {
  static final int T = 3;
  static final int B = 2;
  static final int V = 7;
  static final ModelSpec TWO_LAYERS = new ModelSpec("lstm", V, 5, 4, 2, false, Activation.TANH);

  static Regularization only(String kind, double rate, boolean locked) {
    return new Regularization(kind.equals("input") ? rate : 0, kind.equals("hidden") ? rate : 0,
        kind.equals("output") ? rate : 0, kind.equals("embedding") ? rate : 0, kind.equals("weight") ? rate : 0,
        locked, kind.equals("ar") ? rate : 0, kind.equals("tar") ? rate : 0);
  }

  @Test
  void everyKindOfDropoutAndPenaltyPassesTheGradientCheck() {
    for (String kind : new String[] {"input", "hidden", "output", "embedding", "weight", "ar", "tar"}) {
      check(TWO_LAYERS, only(kind, 0.4, false), kind);
      check(TWO_LAYERS, only(kind, 0.4, true), kind + ", locked");
    }
    Regularization all = new Regularization(0.3, 0.3, 0.3, 0.2, 0.3, true, 1.5, 0.7);
    check(TWO_LAYERS, all, "all together");
    check(new ModelSpec("gru", V, 5, 4, 2, false, Activation.TANH), all, "gru, all together");
    check(new ModelSpec("rnn", V, 5, 4, 1, false, Activation.TANH), all, "rnn, all together");
  }

  private static void check(ModelSpec spec, Regularization reg, String what) {
    Rng rng = new Rng(17);
    LanguageModel m = new LanguageModel(spec);
    float[] p = GradCheck.random(m.layout().size(), 0.5, rng);
    int[] inputs = {1, 2, 3, 4, 5, -1};
    int[] targets = {2, 3, 6, 1, 0, -1};
    float[] state0 = GradCheck.random(B * m.stateSize(), 0.5, rng);
    Noise noise = reg.at(5, 11, 3);
    float[] grad = new float[p.length];
    LanguageModel.Workspace ws = m.newWorkspace(T, B);
    double loss = m.window(p, inputs, targets, state0.clone(), ws, grad, noise);
    if (reg.ar() > 0 || reg.tar() > 0) {
      assertTrue(ws.penalty > 0, what + ": penalty " + ws.penalty);
    } else {
      assertNotEquals(loss, m.window(p, inputs, targets, state0.clone(), m.newWorkspace(T, B), null), 0.0, what);
    }
    for (ParamLayout.View v : m.layout().views()) {
      GradCheck.check(what + ": " + v.name(), p, v.offset(), v.end(), grad, v.offset(), q -> {
        LanguageModel.Workspace w = m.newWorkspace(T, B);
        return m.window(q, inputs, targets, state0.clone(), w, null, noise) + w.penalty;
      }, 40, rng);
    }
  }

  @Test
  void masksDependOnSeedStepAndGlobalStreamOnlyAndDropTheirRate() {
    Regularization reg = only("input", 0.3, false);
    int steps = 4;
    int features = 50;
    float[] wide = mask(reg.at(9, 7, 0), steps, 6, features);
    float[] narrow = mask(reg.at(9, 7, 2), steps, 3, features); // streams 2..4 of the same step
    for (int t = 0; t < steps; t++) {
      for (int b = 0; b < 3; b++) {
        for (int f = 0; f < features; f++) {
          assertEquals(wide[(t * 6 + b + 2) * features + f], narrow[(t * 3 + b) * features + f]);
        }
      }
    }
    assertArrayEquals(wide, mask(reg.at(9, 7, 0), steps, 6, features), "the same key draws the same mask");
    assertNotEquals(java.util.Arrays.hashCode(wide), java.util.Arrays.hashCode(mask(reg.at(9, 8, 0), steps, 6,
        features)), "the next step draws a new mask");
    float[] big = mask(reg.at(1, 1, 0), 100, 10, 100);
    int dropped = 0;
    for (float v : big) {
      assertTrue(v == 0f || v == (float) (1 / 0.7), "value " + v);
      dropped += v == 0f ? 1 : 0;
    }
    assertEquals(0.3, dropped / (double) big.length, 0.01, "fraction dropped of 100,000");
  }

  @Test
  void lockedDropoutKeepsOneMaskPerStreamForTheWindow() {
    float[] m = mask(only("input", 0.5, true).at(3, 2, 0), 5, 4, 8);
    for (int t = 1; t < 5; t++) {
      assertArrayEquals(java.util.Arrays.copyOfRange(m, 0, 32), java.util.Arrays.copyOfRange(m, t * 32,
          (t + 1) * 32), "step " + t);
    }
    assertNotEquals(java.util.Arrays.hashCode(java.util.Arrays.copyOfRange(m, 0, 8)),
        java.util.Arrays.hashCode(java.util.Arrays.copyOfRange(m, 8, 16)), "streams differ");
  }

  @Test
  void windowsWithoutNoiseIgnoreTheMasksOfTheTrainingBefore() {
    Rng rng = new Rng(3);
    LanguageModel m = new LanguageModel(TWO_LAYERS);
    float[] p = GradCheck.random(m.layout().size(), 0.5, rng);
    int[] inputs = {1, 2, 3, 4, 5, 6};
    int[] targets = {2, 3, 6, 1, 0, 4};
    LanguageModel.Workspace ws = m.newWorkspace(T, B);
    double clean = m.window(p, inputs, targets, new float[B * m.stateSize()], ws, null);
    m.window(p, inputs, targets, new float[B * m.stateSize()], ws, new float[p.length],
        new Regularization(0.5, 0.5, 0.5, 0.5, 0.5, false, 1, 1).at(1, 1, 0));
    assertEquals(clean, m.window(p, inputs, targets, new float[B * m.stateSize()], ws, null));
  }

  @Test
  void ratesOutsideZeroToOneAreRefusedByName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Regularization(0, 1.0, 0, 0, 0, false, 0, 0));
    assertTrue(e.getMessage().startsWith("dropout.hidden must be a dropout rate in [0, 1)"), e.getMessage());
  }

  private static float[] mask(Noise noise, int steps, int batch, int features) {
    float[] m = new float[steps * batch * features];
    noise.fill(m, Noise.INPUT, 0, noise.reg().input(), steps, batch, features);
    return m;
  }
}
