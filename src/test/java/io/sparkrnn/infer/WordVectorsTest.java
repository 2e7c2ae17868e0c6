package io.sparkrnn.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkrnn.data.Vocab;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Analogies by 3CosAdd, their accuracy on a question file, and the word2vec text format both ways. */
class WordVectorsTest {
  @TempDir
  Path dir;

  /** man, king, woman, queen, apple: royalty on the second axis, gender on the third. */
  private static WordVectors royals() {
    Vocab vocab = new Vocab(List.of(Vocab.EOS, Vocab.UNK, "man", "king", "woman", "queen", "apple"));
    float[] t = {0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 1, 0, 1, 0, 1, 1, 1, 1, -1, 0.2f, 0};
    return new WordVectors(vocab, t, 3);
  }

  @Test
  void threeCosAddAnswersTheAnalogyAndCountsAQuestionFile() {
    WordVectors v = royals();
    assertEquals("queen", v.analogy("man", "king", "woman", 1)[0].word());
    Map<String, WordVectors.Score> s = v.analogies(List.of(": royal", "man king woman queen", "Man King Woman Queen",
        "king man queen apple", ": other", "man king woman pear"), 0);
    assertEquals(new WordVectors.Score(2, 3, 0), s.get("royal"));
    assertEquals(new WordVectors.Score(0, 0, 1), s.get("other"));
    assertEquals(new WordVectors.Score(2, 3, 1), s.get("total"));
    // Among the 3 most frequent words only, every question has a word outside them.
    assertEquals(0, v.analogies(List.of("man king woman queen"), 3).get("total").asked());
  }

  @Test
  void theTextFormatReadsBackTheSameVectors() throws Exception {
    WordVectors v = royals();
    Path file = dir.resolve("v.txt");
    v.writeText(file);
    assertEquals("6 3", java.nio.file.Files.readAllLines(file).get(0));
    WordVectors back = WordVectors.readText(file);
    assertEquals(v.vocab().words(), back.vocab().words());
    for (int id = 0; id < v.vocab().size(); id++) {
      if (id != Vocab.UNK_ID) {
        assertArrayEquals(v.vector(id), back.vector(id), 0.0, v.vocab().word(id));
      }
    }
  }
  @Test
  void similarityIsSpearmansRhoOfTheCosinesAgainstTheScores() {
    WordVectors v = royals();
    // cos(man, woman) > cos(man, queen) > cos(man, apple): the scores in the same order give 1, reversed -1.
    assertEquals(1.0, WordSimilarity.evaluate(v, List.of("# word pairs", "man\twoman\t9", "man\tqueen\t5",
        "Man\tapple\t1", "man\tpear\t4")).spearman(), 1e-12);
    WordSimilarity.Score reversed = WordSimilarity.evaluate(v, List.of("man\twoman\t1", "man\tqueen\t5",
        "man\tapple\t9", "man\tpear\t4"));
    assertEquals(new WordSimilarity.Score(-1.0, 3, 1), reversed);
    double[] ranks = WordSimilarity.ranks(List.of(new double[] {1}, new double[] {2}, new double[] {2},
        new double[] {3}), 0);
    assertArrayEquals(new double[] {1, 2.5, 2.5, 4}, ranks, 0.0);
  }
}
