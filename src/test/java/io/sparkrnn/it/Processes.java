package io.sparkrnn.it;

import io.sparkrnn.train.Checkpoint;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starting JVMs the way users do (scripts, spark-submit), with the project's jars and JVM flags. */
final class Processes {
  private Processes() {}

  static final Path ROOT = Path.of("").toAbsolutePath();

  static Path appJar() throws IOException {
    try (var s = Files.list(ROOT.resolve("target"))) {
      return s.filter(p -> p.getFileName().toString().endsWith("-app.jar")).findFirst()
          .orElseThrow(() -> new IllegalStateException("no application jar in target/: run mvn package first"));
    }
  }

  /** java with the flags of pom.xml's jvm.flags (passed to the tests as a system property). */
  static List<String> java(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    cmd.addAll(Arrays.asList(System.getProperty("sparkrnn.jvmFlags", "").trim().split("\\s+")));
    cmd.add("-Dlog4j2.configurationFile=" + ROOT.resolve("conf/log4j2.properties"));
    cmd.add("-Dspark.ui.enabled=false");
    cmd.addAll(Arrays.asList(args));
    return cmd;
  }

  static String libClasspath() {
    return ROOT.resolve("target/lib").toString() + File.separator + "*";
  }

  /** Starts a process in the project folder, output to {@code log}, every address on loopback. */
  static Process start(List<String> cmd, Path log) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("OPENBLAS_NUM_THREADS", "1");
    return pb.start();
  }

  /** Runs to completion (at most {@code seconds}), output to {@code log}; returns the exit code. */
  static int run(List<String> cmd, Path log, int seconds) throws Exception {
    Process p = start(cmd, log);
    try {
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        throw new IllegalStateException("timed out after " + seconds + " s: " + String.join(" ", cmd));
      }
      return p.exitValue();
    } finally {
      p.destroyForcibly();
    }
  }

  /** Waits until the run folder's metrics.jsonl has n lines (the job is well into training). */
  static void awaitMetricLines(Path out, int n, Process p) throws Exception {
    Path metrics = out.resolve("metrics.jsonl");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    while (System.nanoTime() < deadline) {
      if (Files.exists(metrics) && Files.readAllLines(metrics).size() >= n) {
        return;
      }
      if (!p.isAlive()) {
        throw new IllegalStateException("the job ended before it had written " + n + " metric lines");
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("no training progress within 240 s");
  }

  /** Runs to completion as {@link #run} does and fails the test, with the log, unless it exits with 0. */
  static void runOk(List<String> cmd, Path log) throws Exception {
    int code = run(cmd, log, 300);
    org.junit.jupiter.api.Assertions.assertEquals(0, code, Files.readString(log));
  }

  /** spark-submit of the application jar training conf/tiny.properties on 2 partitions into {@code out}. */
  static List<String> submit(String master, List<String> sparkConf, Path out, List<String> settings)
      throws IOException {
    List<String> cmd = java("-cp", libClasspath(), "org.apache.spark.deploy.SparkSubmit", "--master", master,
        "--conf", "spark.executor.memory=512m");
    for (String c : sparkConf) {
      cmd.addAll(List.of("--conf", c));
    }
    cmd.addAll(List.of("--class", "io.sparkrnn.cli.Main", appJar().toString(), "train", "--conf",
        "conf/tiny.properties", "spark.partitions=2", "out=" + out.toUri()));
    cmd.addAll(settings);
    return cmd;
  }

  /** The largest absolute difference between two parameter vectors of one length. */
  static double maxDiff(float[] a, float[] b) {
    org.junit.jupiter.api.Assertions.assertEquals(a.length, b.length);
    double d = 0;
    for (int i = 0; i < a.length; i++) {
      d = Math.max(d, Math.abs(a[i] - b[i]));
    }
    return d;
  }

  /** The checkpoint of a run folder. */
  static Checkpoint checkpoint(Path run) throws IOException {
    try (InputStream in = Files.newInputStream(run.resolve("checkpoint/model.ckpt"))) {
      return Checkpoint.read(in, run.toString());
    }
  }
}
