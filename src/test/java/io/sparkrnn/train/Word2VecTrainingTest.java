package io.sparkrnn.train;

import static io.sparkrnn.train.Fixtures.with;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkrnn.math.Init;
import io.sparkrnn.math.Rng;
import io.sparkrnn.nn.ModelSpec;
import io.sparkrnn.word2vec.VectorTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
  void theAlignedMergeAddsUpToTwoAgreeingChangesAndTheMeanAveragesTheRows() {
    SparseRowSync.Merge aligned = SparseRowSync.Merge.ALIGNED;
    // Rows of 2. Row 0: three shards moved it by (1, 1) each; row 1: by none; row 2: two shards moved it by (1, 0)
    // and (0, 1), unrelated changes; row 3: one shard, by (0.5, 0.5).
    float[] sums = new float[4 * 2 + 4];
    float[][] shards = {{1, 1, 0, 0, 1, 0, 0.5f, 0.5f}, {1, 1, 0, 0, 0, 1, 0, 0}, {1, 1, 0, 0, 0, 0, 0, 0}};
    for (float[] delta : shards) {
      for (int r = 0; r < 4; r++) {
        if (delta[2 * r] != 0 || delta[2 * r + 1] != 0) {
          aligned.send(delta, 2 * r, new float[8], r, 2, 1, sums);
        }
      }
    }
    float[] params = {1, 1, 1, 1, 1, 1, 1, 1};
    SparseRowSync.merge(params, sums, 4, 2, aligned);
    // Row 0: S = (3, 3), Q = 6, |S|²/2Q = 1.5: moved by S / 1.5 = (2, 2), two shards' worth; row 2: the sum.
    assertArrayEquals(new float[] {3, 3, 1, 1, 2, 2, 1.5f, 1.5f}, params, 1e-6f);

    // The mean: c·(θ' − θ) summed and the counts; row 0 moved +1 by a shard of 3 updates, +3 by one of 1.
    float[] weighted = {3 * 1 + 1 * 3, 3 * 1 + 1 * 3, 0, 0, 0.5f, 0.5f, 4, 0, 1};
    params = new float[] {1, 1, 1, 1, 1, 1};
    double sq = SparseRowSync.merge(params, weighted, 3, 2, SparseRowSync.Merge.MEAN);
    assertArrayEquals(new float[] {2.5f, 2.5f, 1, 1, 1.5f, 1.5f}, params);
    assertEquals(2 * 1.5 * 1.5 + 2 * 0.5 * 0.5, sq, 1e-6);
  }

  @Test
  void badSettingsAreOneSentence() throws Exception {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LocalTraining.run(Fixtures.tinyWords(dir, "bad", "word2vec.method=glove")));
    assertEquals("word2vec.method must be skipgram or cbow, not 'glove'", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> LocalTraining.run(Fixtures.tinyWords(dir, "bad", "word2vec.merge=median")));
    assertEquals("word2vec.merge must be aligned or mean, not 'median'", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> LocalTraining.run(Fixtures.tinyWords(dir, "bad", "word2vec.lanes=100000")));
    assertTrue(e.getMessage().contains("too few for 100000 lanes; lower word2vec.lanes"), e.getMessage());
  }

  @Test
  void theVectorsStartALanguageModelsEmbeddingFromTheRunOrItsTextFile() throws Exception {
    TrainLoop.Result w2v = LocalTraining.run(Fixtures.tinyWords(dir, "w2v"));
    Checkpoint ck;
    try (RunFolder run = RunFolder.existing(dir.resolve("w2v").toString())) {
      ck = run.loadCheckpoint();
    }
    VectorTable vectors = ck.model().wordVectors(w2v.params());
    Path text = dir.resolve("w2v.txt");
    vectors.writeText(text, null);
    List<String> vocab = List.of("</s>", "<unk>", "cat", "Dog", "zebra");
    int e = vectors.dim();
    for (String from : new String[] {dir.resolve("w2v").toString(), text.toString()}) {
      Config c = Fixtures.tiny(dir, "lm", "model.embed=" + e, "model.embedFrom=" + from);
      ModelSpec spec = TrainConfig.from(c).spec(vocab.size());
      float[] plain = new LanguageModelCard(spec, vocab).initParams(Init.UNIFORM, 0.1, new Rng(1));
      float[] started = LanguageModelCard.forRun(spec, vocab, c, false).initParams(Init.UNIFORM, 0.1, new Rng(1));
      // cat as spelt, Dog in lower case; zebra is not a word of the vectors and keeps its random row.
      for (int id = 0; id < vocab.size(); id++) {
        int w = vectors.words().indexOf(vocab.get(id).toLowerCase(java.util.Locale.ROOT));
        float[] want = w >= 2 ? Arrays.copyOfRange(vectors.table(), w * e, (w + 1) * e)
            : Arrays.copyOfRange(plain, id * e, (id + 1) * e);
        assertArrayEquals(want, Arrays.copyOfRange(started, id * e, (id + 1) * e), vocab.get(id) + " from " + from);
      }
      assertArrayEquals(Arrays.copyOfRange(plain, vocab.size() * e, plain.length),
          Arrays.copyOfRange(started, vocab.size() * e, plain.length), "the layers after the embedding");
    }
    TrainLoop.Result lm = LocalTraining.run(Fixtures.tiny(dir, "lm", "data.train=" + dir.resolve("w.train"),
        "model.embed=" + e, "model.embedFrom=" + text, "train.maxSteps=2", "spark.master=none"));
    assertTrue(Double.isFinite(lm.trainLoss()));
    IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> LocalTraining.run(
        Fixtures.tiny(dir, "lm8", "model.embed=8", "model.embedFrom=" + text, "spark.master=none")));
    assertEquals("model.embedFrom has vectors of " + e + " dimensions but model.embed is 8; set model.embed=" + e,
        x.getMessage());
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
