package io.sparkrnn.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkrnn.data.SyntheticCorpus;
import io.sparkrnn.train.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 100-million-token run of docs/LARGE-CORPUS.md (jobs/large-corpus-run.sh) scaled down: a generated corpus
 * of gzip files read through a glob, a vocabulary of tens of thousands of words behind the adaptive softmax, Spark
 * local[2] in a small heap;
 * the driver is killed mid-epoch (SIGKILL, no shutdown hooks) and the resumed run ends with the parameters,
 * optimizer state, carried state and data position of an uninterrupted one, bit for bit
 * ({@code spark-rnn compare}).
 */
class LargeCorpusIT {
  @TempDir
  static Path dir;

  @Test
  void aKilledRunOnAGeneratedCorpusResumesToTheParametersOfAnUninterruptedOne() throws Exception {
    Path corpus = dir.resolve("corpus");
    SyntheticCorpus.fit(Processes.ROOT.resolve("data/brown/train.txt")).generate(corpus, 1_500_000, 6, 3, 2);
    List<String> settings = List.of("data.train=" + corpus + "/*.gz", "data.valid=", "data.test=",
        "vocab.minCount=1", "model.softmax=adaptive", "model.embed=32", "model.hidden=32", "train.bptt=10",
        "train.batch=8", "spark.master=local[2]", "train.maxSteps=200", "checkpoint.every=10", "log.every=5");
    Path killed = dir.resolve("killed");
    Process p = Processes.start(train(killed, settings), dir.resolve("killed.log"));
    try {
      Processes.awaitMetricLines(killed, 7, p); // step 35: past the checkpoints of steps 10, 20 and 30
    } finally {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
    assertFalse(Files.exists(killed.resolve("summary.json")), "the run finished before it was killed");
    List<String> logged = Files.readAllLines(killed.resolve("metrics.jsonl"));
    java.util.regex.Matcher last = java.util.regex.Pattern.compile("\"step\":(\\d+)")
        .matcher(logged.get(logged.size() - 1));
    assertTrue(last.find(), logged.get(logged.size() - 1));
    int killedAt = Integer.parseInt(last.group(1));
    List<String> resume = new ArrayList<>(settings);
    resume.add("resume=true");
    Processes.runOk(train(killed, resume), dir.resolve("resumed.log"));
    Path whole = dir.resolve("uninterrupted");
    Processes.runOk(train(whole, settings), dir.resolve("uninterrupted.log"));
    String log = Files.readString(dir.resolve("resumed.log"));
    java.util.regex.Matcher from = java.util.regex.Pattern.compile("Resuming \\S+ at step (\\d+)").matcher(log);
    assertTrue(from.find(), log);
    int resumedAt = Integer.parseInt(from.group(1));
    assertTrue(resumedAt >= 10 && resumedAt <= killedAt && resumedAt < 200, "resumed at " + resumedAt
        + ", killed after step " + killedAt);
    Checkpoint a = Processes.checkpoint(whole);
    Checkpoint b = Processes.checkpoint(killed);
    assertEquals(200, b.step());
    assertTrue(b.vocab().size() > 20_000, "vocabulary too small for the test: " + b.vocab().size());
    assertArrayEquals(a.params(), b.params());
    Path compared = dir.resolve("compare.log");
    Processes.runOk(Processes.java("-cp", Processes.appJar() + java.io.File.pathSeparator + Processes.libClasspath(),
        "io.sparkrnn.cli.Main", "compare", whole.toString(), killed.toString()), compared);
    assertTrue(Files.readString(compared).contains("\"identical\" : true"), Files.readString(compared));
  }

  /** A training JVM in a 512 MB heap (the later -Xmx wins over Processes.java's). */
  private static List<String> train(Path out, List<String> settings) throws Exception {
    List<String> cmd = Processes.java("-Xmx512m", "-cp", Processes.appJar() + java.io.File.pathSeparator
        + Processes.libClasspath(), "io.sparkrnn.cli.Main", "train", "out=" + out.toUri());
    cmd.addAll(settings);
    return cmd;
  }
}
