package io.sparkrnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkrnn.train.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input through the command line: one sentence on stderr naming the problem, exit code 2, nothing lost. */
class BadInputTest {
  @TempDir
  Path dir;
  Path train;

  @BeforeEach
  void corpus() throws Exception {
    train = Fixtures.corpus(dir, "train.txt", 200, 1);
  }

  /** Runs {@code train} in-process with a tiny model; returns stderr, asserting exit code 2 and one line. */
  private String trainError(String... settings) {
    List<String> args = new ArrayList<>(List.of("train", "spark.master=none", "data.train=" + train,
        "data.valid=", "data.test=", "vocab.minCount=0", "model.embed=4", "model.hidden=4", "train.bptt=3",
        "train.batch=2", "train.maxSteps=2", "out=" + dir.resolve("run")));
    args.addAll(List.of(settings));
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(err, true), args.toArray(String[]::new));
    String text = err.toString();
    assertEquals(2, code, text);
    assertEquals(1, text.strip().lines().count(), "one sentence expected:\n" + text);
    assertTrue(text.startsWith("error: "), text);
    return text;
  }

  @Test
  void anUnknownCommandIsRefusedEvenWithHelp() {
    for (String[] args : new String[][] {{"translat", "--help"}, {"translat"}}) {
      StringWriter err = new StringWriter();
      assertEquals(2, Main.run(new PrintWriter(err, true), args));
      assertTrue(err.toString().startsWith("error: unknown command 'translat'; the commands: train, "), err.toString());
    }
  }

  @Test
  void missingCorpus() {
    assertTrue(trainError("data.train=" + dir.resolve("nope.txt")).contains("does not exist"));
  }

  @Test
  void emptyCorpus() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.txt"), "\n\n");
    assertTrue(trainError("data.train=" + empty).contains("holds no tokens"));
  }

  @Test
  void binaryCorpus() throws Exception {
    Path bin = Files.write(dir.resolve("data.bin"), new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE, 10});
    assertTrue(trainError("data.train=" + bin).contains("is not UTF-8 text"));
  }

  @Test
  void corpusShorterThanOneWindowPerStream() {
    assertTrue(trainError("train.batch=500", "train.bptt=10").contains("too few for train.batch=500"));
  }

  @Test
  void vocabularyOfOneWord() throws Exception {
    Path one = Files.writeString(dir.resolve("one.txt"), "a a a a a a a a\n".repeat(50));
    assertTrue(trainError("data.train=" + one, "vocab.minCount=3").contains("the vocabulary has 1 word(s)"));
  }

  @Test
  void unknownKeyAndOutOfRangeValues() {
    assertTrue(trainError("model.hiden=4").contains("unknown config key 'model.hiden'"));
    assertTrue(trainError("model.hidden=-1").contains("model.hidden must be an integer ≥ 1"));
    assertTrue(trainError("train.bptt=0").contains("train.bptt must be an integer ≥ 1"));
    assertTrue(trainError("optim.lr=NaN").contains("optim.lr must be a number"));
  }

  @Test
  void badRegularisationAndScheduleValues() {
    assertTrue(trainError("dropout=1").contains("dropout must be a rate in [0, 1)"));
    assertTrue(trainError("dropout.input=a").contains("dropout.input must be a number"));
    assertTrue(trainError("dropout.weight=1.5").contains("dropout.weight must be a number in [0.0, 1.0]"));
    assertTrue(trainError("reg.ar=-1").contains("reg.ar must be a number in"));
    assertTrue(trainError("optim.average=swa").contains("optim.average must be none or nt"));
    assertTrue(trainError("optim.average=nt").contains("set data.valid"));
    assertTrue(trainError("lr.schedule=plateau").contains("set data.valid"));
    assertTrue(trainError("train.minutes=-1").contains("train.minutes must be a number in"));
  }

  @Test
  void unwritableRunFolder() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    assertTrue(trainError("out=" + file.resolve("run")).contains("cannot write to the run folder"));
  }

  @Test
  void badInputWithOverwriteKeepsTheOldRun() throws Exception {
    StringWriter err = new StringWriter();
    assertEquals(0, Main.run(new PrintWriter(err, true), "train", "spark.master=none", "data.train=" + train,
        "data.valid=", "data.test=", "vocab.minCount=0", "model.embed=4", "model.hidden=4", "train.bptt=3",
        "train.batch=2", "train.maxSteps=2", "out=" + dir.resolve("run")), err.toString());
    assertTrue(trainError("overwrite=true", "data.train=" + dir.resolve("nope.txt")).contains("does not exist"));
    assertTrue(Files.exists(dir.resolve("run/checkpoint/model.ckpt")), "the old checkpoint was deleted");
    assertTrue(trainError().contains("already holds a finished run"));
  }

  @Test
  void sparkJobNamesAMissingCorpusPath() {
    assertTrue(trainError("spark.master=local[1]", "data.train=" + dir.resolve("missing/*.txt"))
        .contains("matches no file"));
  }

  @Test
  void sparkJobNamesAnEmptyOrBinaryCorpus() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.txt"), "\n");
    assertTrue(trainError("spark.master=local[1]", "data.train=" + empty).contains("holds no tokens"));
    Path bin = Files.write(dir.resolve("data.bin"), new byte[] {(byte) 0xC3, 0x28, 0, (byte) 0xFE, 10});
    assertTrue(trainError("spark.master=local[1]", "data.train=" + bin).contains("is not UTF-8 text"));
  }
}
