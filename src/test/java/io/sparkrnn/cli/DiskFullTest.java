package io.sparkrnn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkrnn.train.Fixtures;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run folder on a full disk: a small tmpfs, mounted for the test (root only; skipped with a notice where
 * mounting is impossible). A checkpoint that finds no space ends the run with one sentence and leaves the
 * previous checkpoint as it was.
 */
class DiskFullTest {
  @TempDir
  Path dir;
  Path disk;
  boolean mounted;

  @BeforeEach
  void mountASmallDisk() throws Exception {
    disk = Files.createDirectories(dir.resolve("disk"));
    String out = command("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", disk.toString());
    mounted = out == null;
    Assumptions.assumeTrue(mounted, "skipped: no tmpfs could be mounted here (" + out + ")");
  }

  @AfterEach
  void unmount() throws Exception {
    if (mounted) {
      command("umount", disk.toString());
    }
  }

  /** Runs a command; null when it succeeded, else its output. */
  private static String command(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? null : cmd[0] + ": " + out;
  }

  @Test
  void aCheckpointThatFindsNoSpaceEndsTheRunInOneSentenceAndKeepsThePreviousOne() throws Exception {
    Path run = disk.resolve("run");
    // About 120 KB of parameters and Adam moments: a checkpoint is about 360 KB.
    List<String> settings = Fixtures.tinySettings(dir, run.toString(), "model.embed=32", "model.hidden=64",
        "checkpoint.every=2", "train.maxSteps=4");
    assertEquals(0, train(settings, new StringWriter()));
    Path ckpt = run.resolve("checkpoint/model.ckpt");
    byte[] good = Files.readAllBytes(ckpt);
    assertTrue(good.length > 200_000, "checkpoint of " + good.length + " bytes");
    fill(disk, good.length / 2); // room for the metrics and config, not for the next checkpoint

    List<String> resume = new ArrayList<>(settings);
    resume.addAll(List.of("train.maxSteps=8", "resume=true"));
    StringWriter err = new StringWriter();
    assertEquals(1, train(resume, err));
    String message = err.toString().trim();
    assertTrue(message.startsWith("error: could not write ") && message.contains("model.ckpt.tmp")
        && message.contains("No space left on device") && message.endsWith("the previous checkpoint is kept")
        && !message.contains("\n"), message);
    assertArrayEquals(good, Files.readAllBytes(ckpt));
    assertTrue(Files.notExists(run.resolve("checkpoint/model.ckpt.tmp")), "the partial checkpoint is left behind");
  }

  private static int train(List<String> settings, StringWriter err) {
    List<String> args = new ArrayList<>(List.of("train", "spark.master=none"));
    args.addAll(settings);
    return Main.run(new PrintWriter(err, true), args.toArray(String[]::new));
  }

  /** Fills the disk up to {@code free} bytes left. */
  private static void fill(Path disk, long free) throws IOException {
    long fill = Files.getFileStore(disk).getUsableSpace() - free;
    try (var out = Files.newOutputStream(disk.resolve("filler"))) {
      byte[] block = new byte[1 << 16];
      for (long n = 0; n < fill; n += block.length) {
        out.write(block, 0, (int) Math.min(block.length, fill - n));
      }
    }
  }
}
