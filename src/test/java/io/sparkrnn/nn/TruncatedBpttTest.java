package io.sparkrnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.sparkrnn.math.Activation;
import io.sparkrnn.math.Rng;
import org.junit.jupiter.api.Test;

/** Windows with carried state see the same sequence as one long window. */
class TruncatedBpttTest {
  @Test
  void carriedStateGivesTheSameLogitsAsOneWindow() {
    for (String cell : new String[] {"lstm", "gru", "rnn"}) {
      LanguageModel m = new LanguageModel(new ModelSpec(cell, 9, 4, 5, 2, cell.equals("lstm"), Activation.TANH));
      float[] p = GradCheck.random(m.layout().size(), 0.5, new Rng(1));
      int b = 2;
      int[] ids = {1, 2, 3, 4, 5, 6, 7, 8, 0, 1, 2, 3}; // (6, 2) time-major
      LanguageModel.Workspace whole = m.newWorkspace(6, b);
      m.logProbs(p, ids, new float[b * m.stateSize()], whole);
      float[] state = new float[b * m.stateSize()];
      float[] pieces = new float[6 * b * 9];
      for (int w = 0; w < 3; w++) {
        LanguageModel.Workspace ws = m.newWorkspace(2, b);
        m.logProbs(p, java.util.Arrays.copyOfRange(ids, w * 2 * b, (w + 1) * 2 * b), state, ws);
        System.arraycopy(ws.logProbs(), 0, pieces, w * 2 * b * 9, 2 * b * 9);
      }
      assertArrayEquals(whole.logProbs(), pieces, 1e-5f, cell);
    }
  }

  @Test
  void reverseHalfOfBidirectionalEqualsAOneWayLayerOnTheReversedSequence() {
    ParamLayout layout = new ParamLayout();
    Gru f = new Gru(layout, "rnn", "_l0", 3, 4);
    Gru r = new Gru(layout, "rnn", "_l0_reverse", 3, 4);
    Bidirectional bi = new Bidirectional(f, r);
    Rng rng = new Rng(2);
    float[] p = GradCheck.random(layout.size(), 0.5, rng);
    int t = 5;
    float[] x = GradCheck.random(t * 3, 1, rng); // (T, 1, 3)
    float[] out = bi.forward(p, x, new float[8], bi.newCache(t, 1));
    float[] xr = new float[x.length];
    for (int s = 0; s < t; s++) {
      System.arraycopy(x, (t - 1 - s) * 3, xr, s * 3, 3);
    }
    float[] yr = r.forward(p, xr, new float[4], r.newCache(t, 1));
    for (int s = 0; s < t; s++) {
      for (int j = 0; j < 4; j++) {
        org.junit.jupiter.api.Assertions.assertEquals(yr[(t - 1 - s) * 4 + j], out[s * 8 + 4 + j], 1e-6);
      }
    }
  }
}
