package io.sparkrnn.metrics;

import static io.sparkrnn.metrics.SacreBleuFixtures.lines;
import static io.sparkrnn.metrics.SacreBleuFixtures.rows;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The project's chrF against sacreBLEU's, on the fixtures jobs/bleu_fixtures.py wrote with sacreBLEU. */
class ChrFTest {
  @Test
  void corpusScoresEqualSacreBleus() throws Exception {
    int compared = 0;
    for (String[] f : rows("chrf.tsv")) {
      ChrF.Score s = ChrF.corpus(lines(f[0] + ".ref"), lines(f[0] + ".hyp"));
      assertEquals(Double.parseDouble(f[1]), s.chrf(), 1e-9, f[0]);
      assertEquals(f[2], s.toString(), f[0]);
      compared++;
    }
    assertEquals(3, compared);
  }

  @Test
  void dropsWhitespaceAsPythonsSplitDoesAndCountsCodePoints() {
    assertArrayEquals("abcd".codePoints().toArray(), ChrF.characters("a\u00a0b\u2009c\u3000\t\u0085d"));
    assertArrayEquals("\ud83d\ude00x".codePoints().toArray(), ChrF.characters("\ud83d\ude00 x")); // one character
  }

  @Test
  void identicalTextScoresOneHundredAndDisjointTextZero() {
    List<String> ref = List.of("Datei öffnen", "Speichern unter");
    assertEquals(100.0, ChrF.corpus(ref, ref).chrf(), 1e-9);
    assertEquals(0.0, ChrF.corpus(ref, List.of("xyz", "qqq")).chrf(), 0);
    assertThrows(IllegalArgumentException.class, () -> ChrF.corpus(ref, List.of("one line")));
  }
}
