package io.sparkrnn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failures inside a run: non-finite steps, and crashes while a checkpoint is being written. */
class FaultsTest {
  @TempDir
  Path dir;

  @Test
  void nonFiniteStepsAreSkippedThenTheRunStopsKeepingTheLastGoodCheckpoint() throws Exception {
    // A ReLU RNN with huge weights: the carried state grows ×1000s per step until it overflows, and from then
    // on every loss is NaN.
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> LocalTraining.run(Fixtures.tiny(dir,
        "nan", "model.cell=rnn", "model.activation=relu", "init=normal", "init.scale=1000", "checkpoint.every=1",
        "train.maxSteps=50")));
    assertTrue(e.getMessage().contains(TrainLoop.MAX_BAD_STEPS + " steps in a row had a non-finite loss"),
        e.getMessage());
    try (RunFolder run = RunFolder.existing(dir.resolve("nan").toString())) {
      Checkpoint c = run.loadCheckpoint();
      assertTrue(c.step() < 50, "step " + c.step());
      for (float p : c.params()) {
        assertTrue(Float.isFinite(p), "the checkpoint holds non-finite parameters");
      }
    }
  }

  @Test
  void aCrashWhileACheckpointIsWrittenLeavesThePreviousOneLoadable() throws Exception {
    LocalTraining.run(Fixtures.tiny(dir, "run", "train.maxSteps=4"));
    Path ckpt = dir.resolve("run/checkpoint/model.ckpt");
    byte[] good = Files.readAllBytes(ckpt);
    // Crash while writing the temporary file: a half-written model.ckpt.tmp beside the good one.
    Files.write(dir.resolve("run/checkpoint/model.ckpt.tmp"), java.util.Arrays.copyOf(good, good.length / 3));
    try (RunFolder run = RunFolder.existing(dir.resolve("run").toString())) {
      assertEquals(4, run.loadCheckpoint().step());
    }
    // Crash between the two renames: only model.ckpt.prev is complete.
    Files.move(ckpt, dir.resolve("run/checkpoint/model.ckpt.prev"));
    try (RunFolder run = RunFolder.existing(dir.resolve("run").toString())) {
      assertArrayEquals(Checkpoint.read(new java.io.ByteArrayInputStream(good), "x").params(),
          run.loadCheckpoint().params());
    }
    // And a run resumes from it.
    TrainLoop.Result r = LocalTraining.run(Fixtures.tiny(dir, "run", "train.maxSteps=6", "resume=true"));
    assertEquals(6, r.steps());
  }

  @Test
  void aCorruptedCheckpointIsNamedNotHalfLoaded() throws Exception {
    LocalTraining.run(Fixtures.tiny(dir, "run", "train.maxSteps=2"));
    Path ckpt = dir.resolve("run/checkpoint/model.ckpt");
    byte[] bytes = Files.readAllBytes(ckpt);
    bytes[bytes.length - 10] ^= 1;
    Files.write(ckpt, bytes);
    java.io.IOException e = assertThrows(java.io.IOException.class,
        () -> LocalTraining.run(Fixtures.tiny(dir, "run", "train.maxSteps=4", "resume=true")));
    assertTrue(e.getMessage().contains("model.ckpt is corrupted: checksum mismatch"), e.getMessage());
  }
}
