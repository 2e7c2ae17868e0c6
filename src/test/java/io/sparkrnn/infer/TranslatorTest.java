package io.sparkrnn.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkrnn.metrics.Bleu;
import io.sparkrnn.train.Fixtures;
import io.sparkrnn.train.LocalTraining;
import io.sparkrnn.train.RunFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Greedy decoding and beam search of encoder-decoders trained on the toy task (reverse and respell): one trained
 * until it has learned the task, one stopped half way, whose greedy and beam translations differ.
 */
class TranslatorTest {
  @TempDir
  static Path dir;
  static Translator translator;
  static Translator halfway;
  static List<String> sources;
  static List<String> references;

  @BeforeAll
  static void train() throws Exception {
    translator = trained("learned", "train.epochs=12");
    halfway = trained("halfway", "train.epochs=3");
    sources = Files.readAllLines(dir.resolve("test.src"));
    references = Files.readAllLines(dir.resolve("test.tgt"));
  }

  private static Translator trained(String name, String epochs) throws Exception {
    LocalTraining.run(Fixtures.tinyPairs(dir, name, epochs, "model.embed=16", "model.hidden=24", "optim.lr=0.02"));
    try (RunFolder run = RunFolder.existing(dir.resolve(name).toString())) {
      return Translator.of(run.loadCheckpoint());
    }
  }

  @Test
  void beamOfWidthOneIsGreedyDecoding() {
    Translator translator = halfway;
    List<Translator.Translation> greedy = translator.greedy(sources);
    List<Translator.Translation> beam = translator.translate(sources, 1, 1.0);
    for (int i = 0; i < sources.size(); i++) {
      assertArrayEquals(greedy.get(i).ids(), beam.get(i).ids(), sources.get(i));
      assertEquals(greedy.get(i).logProb(), beam.get(i).logProb(), 1e-9, sources.get(i));
      assertEquals(greedy.get(i).ended(), beam.get(i).ended(), sources.get(i));
    }
  }

  @Test
  void aWiderBeamNeverScoresBelowGreedyDecoding() {
    Translator translator = halfway;
    int better = 0;
    List<Translator.Translation> greedy = translator.greedy(sources);
    for (double alpha : new double[] {0, 1}) {
      List<Translator.Translation> beam = translator.translate(sources, 5, alpha);
      for (int i = 0; i < sources.size(); i++) {
        assertTrue(beam.get(i).score(alpha) >= greedy.get(i).score(alpha) - 1e-5, "alpha " + alpha + ": "
            + sources.get(i) + " beam " + beam.get(i).score(alpha) + " greedy " + greedy.get(i).score(alpha));
        better += beam.get(i).score(alpha) > greedy.get(i).score(alpha) + 1e-5 ? 1 : 0;
      }
    }
    assertTrue(better > 0, "the beam found nothing better than greedy decoding: the test would prove nothing");
  }

  @Test
  void theToyTaskIsLearnedAndTheAttentionRowsAreDistributions() {
    List<Translator.Translation> greedy = translator.greedy(sources);
    List<String> hyps = greedy.stream().map(translator::text).toList();
    double bleu = Bleu.corpus(references, hyps).bleu();
    assertTrue(bleu > 80, "BLEU " + bleu + ", first: " + hyps.get(0) + " for " + references.get(0));
    for (int i = 0; i < sources.size(); i++) {
      Translator.Translation t = greedy.get(i);
      assertEquals(t.ids().length + (t.ended() ? 1 : 0), t.attention().length);
      for (float[] row : t.attention()) {
        assertEquals(translator.sourceIds(sources.get(i)).length, row.length);
        double sum = 0;
        for (float w : row) {
          sum += w;
        }
        assertEquals(1.0, sum, 1e-5);
      }
    }
  }
}
