package io.sparkrnn.train;

import static io.sparkrnn.train.Fixtures.with;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** word2vec in the driver loop: it learns the classes of a toy text, resumes exactly, refuses bad settings. */
class Word2VecTrainingTest {
  @TempDir
  Path dir;

  @Test
  void wordsOfAClassEndUpCloserThanWordsOfTwoClassesAndTheRunResumesExactly() throws Exception {
    TrainLoop.Result whole = LocalTraining.run(Fixtures.tinyWords(dir, "whole"));
    List<String> vocab = Files.readAllLines(dir.resolve("whole/vocab.txt"));
    String[] animals = {"cat", "dog", "cow", "horse"};
    String[] foods = {"fish", "meat", "grass", "hay"};
    double within = (meanCosine(whole.params(), vocab, animals, animals)
        + meanCosine(whole.params(), vocab, foods, foods)) / 2;
    double across = meanCosine(whole.params(), vocab, animals, foods);
    assertTrue(within > across + 0.3, "mean cosine within a class " + within + ", across " + across);

    String[] part = {"train.maxSteps=" + (whole.steps() / 2)};
    LocalTraining.run(Fixtures.tinyWords(dir, "part", part));
    TrainLoop.Result resumed = LocalTraining.run(Fixtures.tinyWords(dir, "part", with(part, "resume=true",
        "train.maxSteps=0")));
    assertArrayEquals(whole.params(), resumed.params());
    assertEquals(whole.testPpl(), resumed.testPpl(), 0.0);
    try (RunFolder run = RunFolder.existing(dir.resolve("whole").toString())) {
      assertEquals("word2vec", run.loadCheckpoint().model().family());
    }
  }

  @Test
  void cbowLearnsTheClassesToo() throws Exception {
    TrainLoop.Result r = LocalTraining.run(Fixtures.tinyWords(dir, "cbow", "word2vec.method=cbow"));
    List<String> vocab = Files.readAllLines(dir.resolve("cbow/vocab.txt"));
    String[] animals = {"cat", "dog", "cow", "horse"};
    String[] foods = {"fish", "meat", "grass", "hay"};
    double within = meanCosine(r.params(), vocab, animals, animals);
    double across = meanCosine(r.params(), vocab, animals, foods);
    assertTrue(within > across + 0.3, "mean cosine within a class " + within + ", across " + across);
  }

  @Test
  void badSettingsAreOneSentence() throws Exception {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LocalTraining.run(Fixtures.tinyWords(dir, "bad", "word2vec.method=glove")));
    assertEquals("word2vec.method must be skipgram or cbow, not 'glove'", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> LocalTraining.run(Fixtures.tinyWords(dir, "bad", "word2vec.lanes=100000")));
    assertTrue(e.getMessage().contains("too few for 100000 lanes; lower word2vec.lanes"), e.getMessage());
  }

  /** Mean cosine of the input vectors over the pairs of distinct words of a and b. */
  static double meanCosine(float[] params, List<String> vocab, String[] a, String[] b) {
    int dim = params.length / (2 * vocab.size());
    double sum = 0;
    int n = 0;
    for (String x : a) {
      for (String y : b) {
        if (!x.equals(y)) {
          sum += cosine(params, vocab.indexOf(x) * dim, vocab.indexOf(y) * dim, dim);
          n++;
        }
      }
    }
    return sum / n;
  }

  private static double cosine(float[] p, int a, int b, int dim) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int j = 0; j < dim; j++) {
      dot += p[a + j] * p[b + j];
      na += p[a + j] * p[a + j];
      nb += p[b + j] * p[b + j];
    }
    return dot / Math.sqrt(na * nb);
  }
}
