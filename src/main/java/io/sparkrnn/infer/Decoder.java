package io.sparkrnn.infer;

import io.sparkrnn.data.Vocab;
import io.sparkrnn.math.Rng;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Continuing a prefix: greedy decoding, sampling with temperature and top-k, and beam search with
 * length normalisation (score = log p / length^α; α = 0 ranks by plain log-probability). Every decoder
 * stops at {@code </s>} or after {@code maxLength} words.
 */
public final class Decoder {
  private final Predictor model;
  private final boolean banUnknown;

  public Decoder(Predictor model) {
    this(model, false);
  }

  /**
   * A decoder that, with {@code banUnknown}, never emits {@code <unk>}: every choice is made from the model's
   * distribution without it, renormalised, and log-probabilities are those of that distribution.
   */
  public Decoder(Predictor model, boolean banUnknown) {
    this.model = model;
    this.banUnknown = banUnknown;
  }

  /** The next word's log-probabilities (V) that decoding chooses from (a copy without {@code <unk>} when banned). */
  private float[] choices(Predictor.Context c) {
    float[] lp = c.logProbs();
    if (!banUnknown) {
      return lp;
    }
    float[] out = lp.clone();
    float rest = (float) Math.log1p(-Math.exp(lp[Vocab.UNK_ID])); // log(1 - p(<unk>))
    for (int i = 0; i < out.length; i++) {
      out[i] -= rest;
    }
    out[Vocab.UNK_ID] = Float.NEGATIVE_INFINITY;
    return out;
  }

  /** A continuation: its word ids (without a final {@code </s>}), its log-probability, whether it ended. */
  public record Sequence(List<Integer> ids, double logProb, boolean ended) {
    double score(double alpha) {
      int len = ids.size() + (ended ? 1 : 0);
      return alpha == 0 ? logProb : logProb / Math.pow(Math.max(1, len), alpha);
    }
  }

  public Sequence greedy(String prefix, int maxLength) {
    return walk(prefix, maxLength, lp -> Predictor.topK(lp, 1)[0]);
  }

  /** Samples each word from the top-k (k ≤ 0: all) words at temperature τ; seeded, so reproducible. */
  public Sequence sample(String prefix, int maxLength, double temperature, int topK, long seed) {
    if (!(temperature > 0)) {
      throw new IllegalArgumentException("temperature must be positive, not " + temperature);
    }
    Rng rng = new Rng(seed);
    return walk(prefix, maxLength, lp -> {
      int[] cand = Predictor.topK(lp, topK > 0 ? topK : lp.length);
      double[] w = new double[cand.length];
      double sum = 0;
      for (int i = 0; i < cand.length; i++) {
        w[i] = Math.exp((lp[cand[i]] - lp[cand[0]]) / temperature);
        sum += w[i];
      }
      double u = rng.nextDouble() * sum;
      int last = 0; // the last candidate with a weight: rounding may leave u above 0 after the loop
      for (int i = 0; i < cand.length; i++) {
        u -= w[i];
        if (u <= 0) {
          return cand[i];
        }
        last = w[i] > 0 ? i : last;
      }
      return cand[last];
    });
  }

  private Sequence walk(String prefix, int maxLength, java.util.function.ToIntFunction<float[]> choose) {
    Predictor.Context c = model.start(prefix);
    List<Integer> ids = new ArrayList<>();
    double logProb = 0;
    for (int i = 0; i < maxLength; i++) {
      float[] lp = choices(c);
      int id = choose.applyAsInt(lp);
      logProb += lp[id];
      if (id == Vocab.EOS_ID) {
        return new Sequence(ids, logProb, true);
      }
      ids.add(id);
      c = model.next(c, id);
    }
    return new Sequence(ids, logProb, false);
  }

  /**
   * Beam search of {@code width} hypotheses; returns the sentence ended by {@code </s>} with the best
   * length-normalised score, or the best cut-off one when none ended within {@code maxLength}.
   */
  public Sequence beam(String prefix, int width, int maxLength, double alpha) {
    if (width < 1) {
      throw new IllegalArgumentException("the beam width must be at least 1, not " + width);
    }
    record Hyp(Sequence seq, Predictor.Context ctx) {}
    List<Hyp> beam = List.of(new Hyp(new Sequence(List.of(), 0, false), model.start(prefix)));
    List<Sequence> done = new ArrayList<>();
    for (int step = 0; step < maxLength && !beam.isEmpty(); step++) {
      List<Hyp> candidates = new ArrayList<>();
      for (Hyp h : beam) {
        float[] lp = choices(h.ctx());
        for (int id : Predictor.topK(lp, width)) {
          if (lp[id] == Float.NEGATIVE_INFINITY) { // a banned word, reached when the beam is as wide as the vocabulary
            continue;
          }
          double logProb = h.seq().logProb() + lp[id];
          if (id == Vocab.EOS_ID) {
            candidates.add(new Hyp(new Sequence(h.seq().ids(), logProb, true), null));
          } else {
            List<Integer> ids = new ArrayList<>(h.seq().ids());
            ids.add(id);
            candidates.add(new Hyp(new Sequence(ids, logProb, false), h.ctx()));
          }
        }
      }
      candidates.sort(Comparator.comparingDouble((Hyp h) -> -h.seq().logProb()));
      List<Hyp> next = new ArrayList<>();
      for (Hyp h : candidates.subList(0, Math.min(width, candidates.size()))) {
        if (h.seq().ended()) {
          done.add(h.seq());
        } else {
          List<Integer> ids = h.seq().ids();
          next.add(new Hyp(h.seq(), model.next(h.ctx(), ids.get(ids.size() - 1))));
        }
      }
      beam = next;
    }
    // A finished sentence beats any cut-off one; only without one does the best cut-off one win.
    if (done.isEmpty()) {
      beam.forEach(h -> done.add(h.seq()));
    }
    return done.stream().max(Comparator.comparingDouble(s -> s.score(alpha))).orElseThrow();
  }

  /** The words of a sequence joined by spaces. */
  public String text(Sequence s) {
    StringBuilder b = new StringBuilder();
    for (int id : s.ids()) {
      b.append(b.length() == 0 ? "" : " ").append(model.vocab().word(id));
    }
    return b.toString();
  }
}
