package io.sparkrnn.word2vec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkrnn.math.Counters;
import org.junit.jupiter.api.Test;

/** The noise table and subsampling against their formulas. */
class SamplingTest {
  private static final long[] COUNTS = {0, 0, 5000, 1200, 300, 40, 7, 1};

  @Test
  void theNoiseWordsFollowTheUnigramCountsToThePowerThreeQuarters() {
    Sampling s = new Sampling(COUNTS, 0);
    double norm = 0;
    for (long c : COUNTS) {
      norm += Math.pow(c, 0.75);
    }
    long key = Counters.key(Counters.mix(5), 0);
    int n = 400_000;
    int[] drawn = new int[COUNTS.length];
    for (int i = 0; i < n; i++) {
      drawn[s.noise(Counters.bits(key, i))]++;
    }
    for (int w = 0; w < COUNTS.length; w++) {
      double p = Math.pow(COUNTS[w], 0.75) / norm;
      assertEquals(p, s.noiseProbability(w), 1e-12, "word " + w);
      assertEquals(p, s.aliasProbability(w), 1e-6, "the alias table's share of word " + w);
      assertEquals(p, drawn[w] / (double) n, 4 * Math.sqrt(p * (1 - p) / n) + 1e-9, "draws of word " + w);
    }
  }

  @Test
  void subsamplingKeepsAnOccurrenceWithMikolovsProbability() {
    double t = 1e-2;
    Sampling s = new Sampling(COUNTS, t);
    double total = 6548;
    for (int w = 2; w < COUNTS.length; w++) {
      double f = COUNTS[w] / total;
      assertEquals(Math.min(1, (Math.sqrt(f / t) + 1) * t / f), s.keep(w), 1e-6, "word " + w);
    }
    assertEquals(0f, s.keep(0));
    assertEquals(1f, new Sampling(COUNTS, 0).keep(2));
    // The trainer's draw, u < keep with u a hash of the position, keeps that share of the occurrences.
    long key = Counters.key(Counters.mix(1), 0);
    int kept = 0;
    int n = 200_000;
    for (int i = 0; i < n; i++) {
      kept += Counters.uniform(Counters.key(key, i), 0) < s.keep(2) ? 1 : 0;
    }
    assertEquals(s.keep(2), kept / (double) n, 4 * Math.sqrt(0.25 / n));
  }

  @Test
  void aTextWithoutAnyWordOfTheVocabularyIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Sampling(new long[] {0, 0, 0}, 0));
    assertEquals("no word of the vocabulary occurs in the training text", e.getMessage());
  }
}
