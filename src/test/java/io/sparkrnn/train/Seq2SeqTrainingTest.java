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

/** The encoder-decoder in the driver loop: it learns, resumes exactly, and refuses bad input in one sentence. */
class Seq2SeqTrainingTest {
  @TempDir
  Path dir;

  @Test
  void learnsToReverseAndRespellAndResumesExactly() throws Exception {
    String[] learn = {"train.epochs=10", "optim.lr=0.03"};
    TrainLoop.Result whole = LocalTraining.run(Fixtures.tinyPairs(dir, "whole", learn));
    assertEquals(500, whole.steps());
    // A uniform guess over the 12 target words is perplexity 12.
    assertTrue(whole.testPpl() < 1.5, "test perplexity " + whole.testPpl());
    LocalTraining.run(Fixtures.tinyPairs(dir, "part", with(learn, "train.maxSteps=237")));
    TrainLoop.Result resumed = LocalTraining.run(Fixtures.tinyPairs(dir, "part", with(learn, "resume=true")));
    assertArrayEquals(whole.params(), resumed.params());
    assertEquals(whole.testPpl(), resumed.testPpl(), 0.0);
    try (RunFolder run = RunFolder.existing(dir.resolve("whole").toString())) {
      assertEquals("seq2seq", run.loadCheckpoint().model().family());
    }
    assertTrue(Files.readString(dir.resolve("whole/vocab.target.txt")).contains("NINE\n"));
  }

  @Test
  void theShippedRecipeReadsTheBundledCorpusAndTrains() throws Exception {
    TrainLoop.Result r = LocalTraining.run(Config.load(Path.of("conf/messages-de.properties"), List.of(
        "model.embed=8", "model.hidden=8", "train.maxSteps=3", "data.valid=", "data.test=", "spark.master=none",
        "out=" + dir.resolve("recipe"))));
    assertEquals(3, r.steps());
    assertTrue(Double.isFinite(r.trainLoss()), "loss " + r.trainLoss());
  }

  @Test
  void badInputIsOneSentence() throws Exception {
    Path train = Fixtures.pairs(dir, "short", 30, 1);
    Files.write(Path.of(train + ".tgt"), List.of("ONE TWO"), java.nio.file.StandardOpenOption.APPEND);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LocalTraining.run(Fixtures.tinyPairs(dir, "bad").with("data.train", train.toString())));
    assertTrue(e.getMessage().contains("the source file has 30 lines but the target file 31"), e.getMessage());

    e = assertThrows(IllegalArgumentException.class, () -> LocalTraining.run(Fixtures.tinyPairs(dir, "bad",
        "seq2seq.attention=dot")));
    assertTrue(e.getMessage().contains("seq2seq.attention=dot needs"), e.getMessage());

    e = assertThrows(IllegalArgumentException.class, () -> LocalTraining.run(Fixtures.tinyPairs(dir, "bad",
        "model.family=forest")));
    assertTrue(e.getMessage().contains("model.family must be lm, seq2seq, word2vec or tree"), e.getMessage());

    LocalTraining.run(Fixtures.tiny(dir, "lm", "train.maxSteps=2"));
    e = assertThrows(IllegalArgumentException.class, () -> LocalTraining.run(Fixtures.tinyPairs(dir, "lm",
        "resume=true")));
    assertTrue(e.getMessage().contains("holds a model.family=lm model, but model.family=seq2seq"), e.getMessage());
  }
}
