package io.sparkrnn.train;

import java.util.ArrayList;
import java.util.List;

/**
 * What the validation perplexities of a run decide: reduce-on-plateau's learning-rate factor (as PyTorch's
 * ReduceLROnPlateau: times {@code decay} once more than {@code patience} evaluations in a row have not improved on
 * the best) and NT-ASGD's switch to averaging (Merity et al. 2018: when an evaluation is worse than the best of
 * those before the last {@code nonMonotone}). Both are functions of the series alone, so a resumed run replays
 * the series from its metrics and goes on deciding as the uninterrupted run did.
 */
final class ValidationRules {
  private final boolean plateau;
  private final double decay;
  private final int patience;
  private final int nonMonotone;
  private final List<Double> history = new ArrayList<>();
  private double best = Double.POSITIVE_INFINITY;
  private int bad;
  private double factor = 1;

  ValidationRules(TrainConfig cfg) {
    this.plateau = cfg.schedule().kind().equals("plateau");
    this.decay = cfg.schedule().decay();
    this.patience = cfg.lrPatience();
    this.nonMonotone = cfg.averagePatience();
  }

  /** Adds an evaluation; returns whether NT-ASGD's condition holds at it. */
  boolean observe(double ppl) {
    boolean worse = history.size() > nonMonotone
        && ppl > history.subList(0, history.size() - nonMonotone).stream().mapToDouble(d -> d).min().orElseThrow();
    history.add(ppl);
    if (ppl < best) {
      best = ppl;
      bad = 0;
    } else if (plateau && ++bad > patience) {
      factor *= decay;
      bad = 0;
    }
    return worse;
  }

  /** The factor on the scheduled learning rate (1 unless on a plateau). */
  double factor() {
    return factor;
  }
}
