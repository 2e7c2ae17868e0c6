package io.sparkrnn.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkrnn.train.Checkpoint;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training on a standalone cluster that authenticates every connection with a shared secret and encrypts RPC,
 * block transfers and local spill files, as the README's security section configures it: the same parameters,
 * bit for bit, as in local mode.
 */
class SecureClusterIT {
  static final List<String> SECURITY = List.of("spark.authenticate=true",
      "spark.authenticate.secret=s3cr3t-for-tests", "spark.network.crypto.enabled=true",
      "spark.io.encryption.enabled=true");

  @TempDir
  Path dir;

  @Test
  void anAuthenticatedEncryptedClusterTrainsToTheParametersOfLocalMode() throws Exception {
    // The master's REST submission server cannot authenticate, so it is off (spark-submit uses RPC).
    List<String> flags = java.util.stream.Stream.concat(SECURITY.stream(), java.util.stream.Stream.of(
        "spark.master.rest.enabled=false")).map(s -> "-D" + s).toList();
    try (StandaloneCluster cluster = new StandaloneCluster(dir, 2, flags)) {
      run(submit(cluster.url(), dir.resolve("secure"), SECURITY), dir.resolve("secure.log"));
      assertTrue(Files.readString(dir.resolve("secure.log")).contains("on Spark " + cluster.url()));
      String executors = executorLogs(dir);
      assertTrue(executors.contains("authentication enabled"), executors);
    }
    run(submit("local[2]", dir.resolve("local"), List.of()), dir.resolve("local.log"));
    assertArrayEquals(params(dir.resolve("local")), params(dir.resolve("secure")));
  }

  private static List<String> submit(String master, Path out, List<String> conf) throws Exception {
    List<String> cmd = Processes.java("-cp", Processes.libClasspath(), "org.apache.spark.deploy.SparkSubmit",
        "--master", master, "--conf", "spark.executor.memory=512m");
    for (String c : conf) {
      cmd.addAll(List.of("--conf", c));
    }
    cmd.addAll(new ArrayList<>(List.of("--class", "io.sparkrnn.cli.Main", Processes.appJar().toString(), "train",
        "--conf", "conf/tiny.properties", "spark.partitions=2", "train.maxSteps=15", "out=" + out.toUri())));
    return cmd;
  }

  /** What the executors the workers launched logged (their stderr files under the workers' work folders). */
  private static String executorLogs(Path dir) throws Exception {
    StringBuilder out = new StringBuilder();
    try (var files = Files.walk(dir)) {
      for (Path p : files.filter(f -> f.getFileName().toString().equals("stderr")).toList()) {
        out.append(Files.readString(p));
      }
    }
    return out.toString();
  }

  private static void run(List<String> cmd, Path log) throws Exception {
    assertEquals(0, Processes.run(cmd, log, 300), Files.readString(log));
  }

  private static float[] params(Path run) throws Exception {
    try (InputStream in = Files.newInputStream(run.resolve("checkpoint/model.ckpt"))) {
      return Checkpoint.read(in, run.toString()).params();
    }
  }
}
