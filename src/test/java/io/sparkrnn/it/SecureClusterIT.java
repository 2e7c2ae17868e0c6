package io.sparkrnn.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training on a standalone cluster that authenticates every connection with a shared secret and encrypts RPC,
 * block transfers and local spill files, as the README's security section configures it: the same parameters,
 * bit for bit, as in local mode (the all-reduce,
 * whose executors exchange slices over their own authenticated channels, to float-summation tolerance). A
 * driver with a wrong secret is refused.
 */
class SecureClusterIT {
  static final List<String> SECURITY = List.of("spark.authenticate=true",
      "spark.authenticate.secret=s3cr3t-for-tests", "spark.network.crypto.enabled=true",
      "spark.io.encryption.enabled=true");

  @TempDir
  Path dir;

  @Test
  void anAuthenticatedEncryptedClusterTrainsToTheParametersOfLocalModeAndRefusesAWrongSecret() throws Exception {
    // The master's REST submission server cannot authenticate, so it is off (spark-submit uses RPC).
    List<String> flags = java.util.stream.Stream.concat(SECURITY.stream(), java.util.stream.Stream.of(
        "spark.master.rest.enabled=false")).map(s -> "-D" + s).toList();
    try (StandaloneCluster cluster = new StandaloneCluster(dir, 2, flags)) {
      Processes.runOk(submit(cluster.url(), dir.resolve("secure"), SECURITY), dir.resolve("secure.log"));
      assertTrue(Files.readString(dir.resolve("secure.log")).contains("on Spark " + cluster.url()));
      String executors = executorLogs(dir);
      assertTrue(executors.contains("authentication enabled"), executors);
      // The all-reduce's slice exchange between executors authenticates and encrypts too.
      // (the default on a cluster)
      Processes.runOk(Processes.submit(cluster.url(), SECURITY, dir.resolve("secure-allreduce"),
          List.of("train.maxSteps=15")), dir.resolve("secure-allreduce.log"));
      assertTrue(Files.readString(dir.resolve("secure-allreduce.log")).contains("all-reduce"));

      // A driver with another secret is refused: after Spark's registration retries (about a minute) the run
      // ends with one sentence, exit code 2, and no run folder.
      List<String> wrong = SECURITY.stream().map(s -> s.startsWith("spark.authenticate.secret=")
          ? "spark.authenticate.secret=not-the-cluster-secret" : s).toList();
      Path log = dir.resolve("wrong.log");
      assertEquals(2, Processes.run(submit(cluster.url(), dir.resolve("wrong"), wrong), log, 240));
      assertTrue(Files.readString(log).contains("error: the Spark master " + cluster.url()
          + " did not accept this application"), Files.readString(log));
      assertFalse(Files.exists(dir.resolve("wrong")));
    }
    Processes.runOk(submit("local[2]", dir.resolve("local"), List.of()), dir.resolve("local.log"));
    float[] local = Processes.checkpoint(dir.resolve("local")).params();
    assertArrayEquals(local, Processes.checkpoint(dir.resolve("secure")).params());
    double d = Processes.maxDiff(local, Processes.checkpoint(dir.resolve("secure-allreduce")).params());
    assertTrue(d < 1e-5, "all-reduce on the secure cluster against the driver mode in local mode: " + d);
  }

  /** The driver mode, compared bit for bit with local mode. */
  private static List<String> submit(String master, Path out, List<String> conf) throws Exception {
    return Processes.submit(master, conf, out, List.of("train.maxSteps=15", "spark.aggregation=driver"));
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
}
