package io.sparkrnn.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkrnn.data.Vocab;
import io.sparkrnn.math.Activation;
import io.sparkrnn.math.Init;
import io.sparkrnn.math.Rng;
import io.sparkrnn.nn.LanguageModel;
import io.sparkrnn.nn.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecoderTest {
  /** A random model over 5 words whose distributions are far from uniform. */
  private static Predictor model(long seed) {
    ModelSpec spec = new ModelSpec("gru", 5, 4, 6, 1, false, Activation.TANH);
    float[] p = new LanguageModel(spec).initParams(Init.NORMAL, 1.5, new Rng(seed));
    return new Predictor(spec, p, new Vocab(List.of("</s>", "<unk>", "a", "b", "c")));
  }

  @Test
  void beamOfWidthOneIsGreedy() {
    for (long seed = 1; seed <= 5; seed++) {
      Decoder d = new Decoder(model(seed));
      Decoder.Sequence g = d.greedy("a", 60);
      Decoder.Sequence b = d.beam("a", 1, 60, 0);
      assertEquals(g.ids(), b.ids(), "seed " + seed);
      assertEquals(g.logProb(), b.logProb(), 1e-9);
    }
  }

  @Test
  void wideBeamFindsTheMostLikelySequenceFoundByEnumeration() {
    for (long seed = 1; seed <= 5; seed++) {
      Predictor m = model(seed);
      int maxLength = 3;
      double best = Double.NEGATIVE_INFINITY;
      List<Integer> bestIds = null;
      // Every sentence that ends by </s> after 0..maxLength-1 words.
      List<List<Integer>> prefixes = new ArrayList<>(List.of(List.of()));
      for (int len = 0; len <= maxLength; len++) {
        List<List<Integer>> longer = new ArrayList<>();
        for (List<Integer> ids : prefixes) {
          Predictor.Context c = m.start("b");
          double lp = 0;
          for (int id : ids) {
            lp += c.logProbs()[id];
            c = m.next(c, id);
          }
          double total = lp + c.logProbs()[Vocab.EOS_ID];
          if (len < maxLength && total > best) {
            best = total;
            bestIds = ids;
          }
          for (int id = 1; id < 5 && len < maxLength; id++) {
            List<Integer> next = new ArrayList<>(ids);
            next.add(id);
            longer.add(next);
          }
        }
        prefixes = longer;
      }
      Decoder.Sequence found = new Decoder(m).beam("b", 200, maxLength, 0);
      assertEquals(bestIds, found.ids(), "seed " + seed);
      assertEquals(best, found.logProb(), 1e-6);
    }
  }

  @Test
  void samplingIsReproducibleWithASeed() {
    Decoder d = new Decoder(model(3));
    Decoder.Sequence a = d.sample("a b", 20, 1.0, 0, 42);
    assertEquals(a, d.sample("a b", 20, 1.0, 0, 42));
    List<List<Integer>> seen = new ArrayList<>();
    for (long s = 0; s < 10; s++) {
      seen.add(d.sample("a b", 20, 1.0, 0, s).ids());
    }
    assertNotEquals(1, seen.stream().distinct().count(), "ten seeds gave the same sample");
  }

  @Test
  void aBannedUnknownWordIsNeverChosenAndTheRestIsRenormalised() {
    int unkChosen = 0;
    for (long seed = 1; seed <= 5; seed++) {
      Predictor m = model(seed);
      Decoder free = new Decoder(m);
      Decoder banned = new Decoder(m, true);
      for (long s = 0; s < 40; s++) {
        unkChosen += java.util.Collections.frequency(free.sample("a", 20, 1.0, 0, s).ids(), Vocab.UNK_ID);
        Decoder.Sequence seq = banned.sample("a", 20, 1.0, 0, s);
        assertFalse(seq.ids().contains(Vocab.UNK_ID), "seed " + seed + ", sample " + s);
        // The sequence's log-probability under the model without <unk>, renormalised, word by word.
        Predictor.Context c = m.start("a");
        double lp = 0;
        for (int id : seq.ids()) {
          lp += c.logProbs()[id] - Math.log1p(-Math.exp(c.logProbs()[Vocab.UNK_ID]));
          c = m.next(c, id);
        }
        if (seq.ended()) {
          lp += c.logProbs()[Vocab.EOS_ID] - Math.log1p(-Math.exp(c.logProbs()[Vocab.UNK_ID]));
        }
        assertEquals(lp, seq.logProb(), 1e-4);
      }
      assertFalse(banned.beam("a", 4, 20, 0.7).ids().contains(Vocab.UNK_ID));
      assertFalse(banned.greedy("b", 20).ids().contains(Vocab.UNK_ID));
    }
    assertTrue(unkChosen > 0, "the test's models never sample <unk>, so the ban is not tested");
  }

  @Test
  void topKIsSortedAndStable() {
    float[] lp = {-3f, -1f, -2f, -1f, -5f};
    assertArrayEquals(new int[] {1, 3, 2}, Predictor.topK(lp, 3));
    assertArrayEquals(new int[] {1, 3, 2, 0, 4}, Predictor.topK(lp, 9));
  }

  @Test
  void nextWordProbabilitiesSumToOne() {
    float[] lp = model(2).start("a c").logProbs();
    double sum = 0;
    for (float l : lp) {
      sum += Math.exp(l);
    }
    assertEquals(1.0, sum, 1e-5);
  }
}
