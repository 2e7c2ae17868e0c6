package io.sparkrnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkrnn.math.Rng;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A tail cluster scored a few rows at a time (the bounded logits buffer of a large vocabulary) gives the loss,
 * parameter gradient and dh of scoring all its rows at once, and passes its own finite-difference check.
 */
class AdaptiveSoftmaxPassesTest {
  static final int H = 4;
  static final int V = 11;
  static final int ROWS = 9;
  static final List<Integer> CUTS = List.of(3, 6);

  @Test
  void scoringAClusterInPassesChangesNothing() {
    AdaptiveSoftmax whole = new AdaptiveSoftmax(new ParamLayout(), H, V, CUTS, 2);
    ParamLayout layout = new ParamLayout();
    AdaptiveSoftmax passes = new AdaptiveSoftmax(layout, H, V, CUTS, 2, 5); // one row of the 5-word cluster
    Rng rng = new Rng(3);
    float[] p = GradCheck.random(layout.size(), 0.7, rng);
    float[] h = GradCheck.random(ROWS * H, 0.7, rng);
    int[] targets = {9, 7, 1, 6, 10, 4, 8, 0, 9}; // five rows in cluster 1, so five passes of one row
    float[] gWhole = new float[p.length];
    float[] dhWhole = new float[h.length];
    double lossWhole = whole.loss(p, h, 0, ROWS, targets, whole.newScratch(ROWS), gWhole, dhWhole);
    float[] gPasses = new float[p.length];
    float[] dhPasses = new float[h.length];
    double lossPasses = passes.loss(p, h, 0, ROWS, targets, passes.newScratch(ROWS), gPasses, dhPasses);
    assertEquals(lossWhole, lossPasses, 1e-5 * Math.abs(lossWhole));
    for (int i = 0; i < p.length; i++) {
      assertEquals(gWhole[i], gPasses[i], 1e-5, "gradient " + i);
    }
    for (int i = 0; i < h.length; i++) {
      assertEquals(dhWhole[i], dhPasses[i], 1e-5, "dh " + i);
    }
    GradCheck.check("passes", p, 0, p.length, gPasses, 0,
        q -> passes.loss(q, h, 0, ROWS, targets, passes.newScratch(ROWS), null, new float[h.length]), 40, rng);
  }
}
