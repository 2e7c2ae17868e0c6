package io.sparkrnn.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkrnn.train.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application jar on a real standalone cluster (master and two one-core workers on 127.0.0.1):
 * the same parameters as local mode, and training that survives a killed executor and a killed driver.
 */
class ClusterIT {
  @TempDir
  static Path dir;
  static StandaloneCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = new StandaloneCluster(dir, 2);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static List<String> submit(String master, Path out, String... settings) throws Exception {
    return Processes.submit(master, List.of(), out, List.of(settings));
  }

  /** The driver mode, which is no longer the default on a cluster (spark.aggregation=auto picks the all-reduce). */
  private static final String DRIVER = "spark.aggregation=driver";

  private static float[] params(Path run) throws Exception {
    return Processes.checkpoint(run).params();
  }

  private static void run(List<String> cmd, Path log) throws Exception {
    Processes.runOk(cmd, log);
  }

  @Test
  void clusterAndLocalModeGiveTheSameParameters() throws Exception {
    run(submit(cluster.url(), dir.resolve("cluster-run"), "train.maxSteps=15", DRIVER), dir.resolve("cluster.log"));
    run(submit("local[2]", dir.resolve("local-run"), "train.maxSteps=15"), dir.resolve("local.log"));
    assertTrue(Files.readString(dir.resolve("cluster.log")).contains("on Spark " + cluster.url() + ", 2 partitions:"),
        "the driver mode, as asked:\n" + Files.readString(dir.resolve("cluster.log")));
    // The same shards summed in the same (partition) order: the same bits in one JVM or several.
    assertArrayEquals(params(dir.resolve("local-run")), params(dir.resolve("cluster-run")));
    // The default on a cluster (spark.aggregation=auto) is the all-reduce.
    run(submit(cluster.url(), dir.resolve("cluster-allreduce"), "train.maxSteps=15"),
        dir.resolve("cluster-allreduce.log"));
    String log = Files.readString(dir.resolve("cluster-allreduce.log"));
    assertTrue(log.contains("on Spark " + cluster.url() + ", 2 partitions, all-reduce"), log);
    double d = Processes.maxDiff(params(dir.resolve("local-run")), params(dir.resolve("cluster-allreduce")));
    assertTrue(d < 1e-5, "all-reduce on the cluster against the driver mode in local mode: " + d);
  }

  /** The encoder-decoder: pairs read on the driver, lanes cached on the executors; the same bits as local mode. */
  @Test
  void anEncoderDecoderOnTheClusterEqualsLocalMode() throws Exception {
    String[] pairs = {"model.family=seq2seq", "seq2seq.source=src", "seq2seq.target=tgt",
        "data.train=" + io.sparkrnn.train.Fixtures.pairs(dir, "pairs-train", 200, 1),
        "data.valid=" + io.sparkrnn.train.Fixtures.pairs(dir, "pairs-valid", 20, 2), "data.test=",
        "vocab.minCount=0", "train.batch=8", "eval.batch=8", "train.maxSteps=10", DRIVER};
    run(submit(cluster.url(), dir.resolve("cluster-s2s"), pairs), dir.resolve("cluster-s2s.log"));
    run(submit("local[2]", dir.resolve("local-s2s"), pairs), dir.resolve("local-s2s.log"));
    assertTrue(Files.readString(dir.resolve("cluster-s2s.log")).contains("encoder-decoder"));
    assertArrayEquals(params(dir.resolve("local-s2s")), params(dir.resolve("cluster-s2s")));
  }

  @Test
  void allReduceTrainingGoesBackToItsCheckpointWhenAnExecutorIsKilled() throws Exception {
    goesBackToItsCheckpointWhenAnExecutorIsKilled("allreduce", "spark.aggregation=allreduce",
        "spark.syncsPerJob=2");
  }

  @Test
  void allReduceRoundsGoBackToTheirCheckpointWhenAnExecutorIsKilled() throws Exception {
    goesBackToItsCheckpointWhenAnExecutorIsKilled("allreduce-rounds", "spark.aggregation=allreduce",
        "spark.syncEvery=4", "spark.syncsPerJob=1");
  }

  /** Kills an executor mid-run, expects a return to the last checkpoint and the uninterrupted run's parameters. */
  private static void goesBackToItsCheckpointWhenAnExecutorIsKilled(String name, String... mode) throws Exception {
    List<String> settings = new ArrayList<>(List.of("train.maxSteps=60", "checkpoint.every=10"));
    settings.addAll(List.of(mode));
    Path out = dir.resolve(name + "-executor-loss");
    List<String> killed = new ArrayList<>(settings);
    killed.add("log.every=4");
    String text = trainKillingAnExecutor(out, killed.toArray(String[]::new));
    assertTrue(text.contains("lost training state"), "no rollback was logged:\n" + text);
    Path whole = dir.resolve(name + "-uninterrupted");
    run(submit(cluster.url(), whole, settings.toArray(String[]::new)), dir.resolve(name + "-uninterrupted.log"));
    assertArrayEquals(params(whole), params(out),
        "a run that went back to its checkpoint ends where an uninterrupted one does");
  }

  @Test
  void trainingSurvivesAKilledExecutor() throws Exception {
    Path out = dir.resolve("executor-loss");
    String text = trainKillingAnExecutor(out, "train.maxSteps=150", "log.every=10", DRIVER);
    assertTrue(text.contains("lost their carried state"), "no state reset was logged:\n" + text);
    List<String> lines = Files.readAllLines(out.resolve("metrics.jsonl")).stream()
        .filter(l -> l.contains("\"train_loss\"")).toList();
    assertTrue(loss(lines.get(lines.size() - 1)) < loss(lines.get(0)), "loss did not decrease: " + lines);
    assertEquals(150, Checkpoint.read(Files.newInputStream(out.resolve("checkpoint/model.ckpt")), "ckpt").step());
  }

  /** Trains on the cluster, kills one executor after 3 metric lines, expects a clean finish; returns the log. */
  private static String trainKillingAnExecutor(Path out, String... settings) throws Exception {
    Path log = dir.resolve(out.getFileName() + ".log");
    Process p = Processes.start(submit(cluster.url(), out, settings), log);
    try {
      Processes.awaitMetricLines(out, 3, p);
      List<ProcessHandle> executors = cluster.executors();
      assertFalse(executors.isEmpty(), "no executor process found");
      executors.get(0).destroyForcibly();
      assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the job did not finish");
      String text = Files.readString(log);
      assertEquals(0, p.exitValue(), text);
      return text;
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void resumeAfterAKilledDriverEqualsAnUninterruptedRun() throws Exception {
    resumeAfterAKilledDriver("driver-loss", DRIVER);
  }

  @Test
  void allReduceResumeAfterAKilledDriverEqualsAnUninterruptedRun() throws Exception {
    resumeAfterAKilledDriver("allreduce-driver-loss", "spark.aggregation=allreduce", "spark.syncsPerJob=2");
  }

  @Test
  void localSgdSurvivesAKilledExecutor() throws Exception {
    Path out = dir.resolve("local-sgd-executor-loss");
    String text = trainKillingAnExecutor(out, "train.maxSteps=80", "log.every=8", "spark.syncEvery=4", DRIVER);
    assertTrue(text.contains("local SGD every 4 steps"), text);
    assertEquals(80, Checkpoint.read(Files.newInputStream(out.resolve("checkpoint/model.ckpt")), "ckpt").step());
  }

  /**
   * Kills the driver of a run after 5 metric lines (checkpoint every 10 steps), resumes it to 60 steps, and
   * compares with an uninterrupted run of the same settings.
   */
  private static void resumeAfterAKilledDriver(String name, String... settings) throws Exception {
    Path out = dir.resolve(name);
    List<String> common = new ArrayList<>(List.of("train.maxSteps=60", "checkpoint.every=10"));
    common.addAll(List.of(settings));
    String[] args = common.toArray(String[]::new);
    Process p = Processes.start(submit(cluster.url(), out, args), dir.resolve(name + ".log"));
    try {
      Processes.awaitMetricLines(out, 5, p);
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
    assertFalse(Files.exists(out.resolve("summary.json")), "the driver finished before it was killed");
    List<String> resume = new ArrayList<>(common);
    resume.add("resume=true");
    run(submit(cluster.url(), out, resume.toArray(String[]::new)), dir.resolve(name + "-resume.log"));
    run(submit(cluster.url(), dir.resolve(name + "-uninterrupted"), args), dir.resolve(name + "-uninterrupted.log"));
    assertArrayEquals(params(dir.resolve(name + "-uninterrupted")), params(out));
  }

  private static double loss(String jsonLine) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"train_loss\":([0-9.eE+-]+)").matcher(jsonLine);
    assertTrue(m.find(), jsonLine);
    return Double.parseDouble(m.group(1));
  }
}
