package io.sparkrnn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainLoopTest {
  @TempDir
  Path dir;

  @Test
  void learnsARepeatedPatternAndWritesTheRunFolder() throws Exception {
    TrainLoop.Result r = LocalTraining.run(Fixtures.tiny(dir, "run"));
    assertTrue(r.validPpl() < 3.0, "valid perplexity " + r.validPpl());
    for (String f : List.of("config.properties", "vocab.txt", "metrics.jsonl", "summary.json", "report.html",
        "checkpoint/model.ckpt")) {
      assertTrue(Files.exists(dir.resolve("run").resolve(f)), f);
    }
    String summary = Files.readString(dir.resolve("run/summary.json"));
    for (String key : List.of("tokens_per_s", "train_tokens", "seconds", "valid_ppl", "test_ppl", "params")) {
      assertTrue(summary.contains("\"" + key + "\""), key);
    }
    assertTrue(Files.readString(dir.resolve("run/report.html")).contains("data:image/png;base64"));
  }

  @Test
  void resumedRunEqualsUninterruptedRun() throws Exception {
    TrainLoop.Result whole = LocalTraining.run(Fixtures.tiny(dir, "whole", "train.maxSteps=40"));
    LocalTraining.run(Fixtures.tiny(dir, "split", "train.maxSteps=17"));
    TrainLoop.Result resumed = LocalTraining.run(Fixtures.tiny(dir, "split", "train.maxSteps=40", "resume=true"));
    assertEquals(40, resumed.steps());
    assertArrayEquals(whole.params(), resumed.params());
  }

  /**
   * NT-ASGD and reduce-on-plateau with a rate high enough that validation gets worse: averaging starts, the averaged
   * model differs from the iterate, and a run resumed from a checkpoint taken while averaging ends with the
   * uninterrupted run's mean, iterate and metrics.
   */
  @Test
  void resumeWhileAveragingEqualsUninterruptedRun() throws Exception {
    String[] nt = {"optim.average=nt", "optim.averagePatience=0", "eval.every=5", "optim.lr=0.5",
        "lr.schedule=plateau", "lr.decay=0.7"};
    TrainLoop.Result whole = LocalTraining.run(Fixtures.tiny(dir, "whole", Fixtures.with(nt, "train.maxSteps=40")));
    Checkpoint end = RunFolder.existing(dir.resolve("whole").toString()).loadCheckpoint();
    assertTrue(end.averageFrom() > 0 && end.averageFrom() < 40, "averaging started at " + end.averageFrom());
    assertArrayEquals(end.params(), whole.params(), "the model returned is the mean");
    assertFalse(java.util.Arrays.equals(end.params(), end.iterate()), "the mean differs from the iterate");
    LocalTraining.run(Fixtures.tiny(dir, "split", Fixtures.with(nt, "train.maxSteps=33")));
    assertTrue(RunFolder.existing(dir.resolve("split").toString()).loadCheckpoint().averageFrom() >= 0,
        "the split point is inside the averaging, which starts at " + end.averageFrom());
    TrainLoop.Result resumed = LocalTraining.run(Fixtures.tiny(dir, "split", Fixtures.with(nt, "train.maxSteps=40",
        "resume=true")));
    assertArrayEquals(whole.params(), resumed.params());
    assertArrayEquals(end.iterate(), RunFolder.existing(dir.resolve("split").toString()).loadCheckpoint().iterate());
  }

  /**
   * Reduce-on-plateau at a rate where validation gets worse: every logged step's rate is optim.lr times lr.decay
   * to the number of plateaus seen in the validations before it (PyTorch's ReduceLROnPlateau with patience 0).
   */
  @Test
  void aPlateauInValidationLowersTheRate() throws Exception {
    LocalTraining.run(Fixtures.tiny(dir, "plateau", "eval.every=5", "log.every=1", "optim.lr=0.5",
        "lr.schedule=plateau", "lr.decay=0.7", "train.maxSteps=40"));
    double factor = 1;
    double best = Double.POSITIVE_INFINITY;
    int plateaus = 0;
    for (var row : RunFolder.existing(dir.resolve("plateau").toString()).readMetrics()) {
      if (row.containsKey("test_ppl")) {
        continue;
      }
      assertEquals((float) (0.5 * factor), ((Number) row.get("lr")).floatValue(), 1e-6, "lr at " + row.get("step"));
      if (row.get("valid_ppl") instanceof Number ppl) {
        if (ppl.doubleValue() < best) {
          best = ppl.doubleValue();
        } else {
          factor *= 0.7;
          plateaus++;
        }
      }
    }
    assertTrue(plateaus > 0, "validation never got worse at this rate");
  }

  /** train.minutes ends the run after the step that uses it up, with the final evaluation and checkpoint. */
  @Test
  void stopsWhenTheTimeBudgetIsUsedUp() throws Exception {
    TrainLoop.Result r = LocalTraining.run(Fixtures.tiny(dir, "timed", "train.minutes=1e-9"));
    assertEquals(1, r.steps());
    assertTrue(Double.isFinite(r.testPpl()), "test perplexity " + r.testPpl());
    assertEquals(1, RunFolder.existing(dir.resolve("timed").toString()).loadCheckpoint().step());
  }

  @Test
  void refusesAFolderWithAFinishedRun() throws Exception {
    LocalTraining.run(Fixtures.tiny(dir, "done", "train.maxSteps=3"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LocalTraining.run(Fixtures.tiny(dir, "done", "train.maxSteps=3")));
    assertTrue(e.getMessage().contains("already holds a finished run"), e.getMessage());
    LocalTraining.run(Fixtures.tiny(dir, "done", "train.maxSteps=3", "overwrite=true"));
  }

  @Test
  void checkpointRoundTripsAndRejectsCorruption() throws Exception {
    LocalTraining.run(Fixtures.tiny(dir, "ck", "train.maxSteps=5"));
    byte[] bytes = Files.readAllBytes(dir.resolve("ck/checkpoint/model.ckpt"));
    Checkpoint c = Checkpoint.read(new ByteArrayInputStream(bytes), "model.ckpt");
    assertEquals(5, c.step());
    ByteArrayOutputStream again = new ByteArrayOutputStream();
    c.write(again);
    assertArrayEquals(bytes, again.toByteArray());

    byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length / 2);
    IOException e1 = assertThrows(IOException.class, () -> Checkpoint.read(new ByteArrayInputStream(cut), "x.ckpt"));
    assertTrue(e1.getMessage().contains("truncated"), e1.getMessage());
    byte[] flipped = bytes.clone();
    flipped[bytes.length / 2] ^= 0x10;
    IOException e2 = assertThrows(IOException.class,
        () -> Checkpoint.read(new ByteArrayInputStream(flipped), "x.ckpt"));
    assertTrue(e2.getMessage().contains("checksum"), e2.getMessage());
    byte[] badLength = bytes.clone();
    badLength[20] ^= 0x10; // the first length field of the body: the config text's
    IOException e3 = assertThrows(IOException.class,
        () -> Checkpoint.read(new ByteArrayInputStream(badLength), "x.ckpt"));
    assertTrue(e3.getMessage().contains("checksum"), e3.getMessage());
  }

  @Test
  void resumeWithAnotherModelShapeIsRefused() throws Exception {
    LocalTraining.run(Fixtures.tiny(dir, "shape", "train.maxSteps=3"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LocalTraining.run(Fixtures.tiny(dir, "shape", "train.maxSteps=6", "resume=true", "model.hidden=13")));
    assertTrue(e.getMessage().contains("model of shape"), e.getMessage());
  }
}
