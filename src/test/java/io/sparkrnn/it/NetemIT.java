package io.sparkrnn.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The all-reduce on an emulated network (jobs/netem-cluster.sh: the driver, a master and two one-core workers,
 * each in its own network namespace, 1 Gbit/s links): the gradients and parameters go between the workers, not
 * through the driver's link. Needs root and iproute2; skipped with a one-line notice where namespaces cannot be
 * made.
 */
class NetemIT {
  @TempDir
  Path dir;

  @Test
  void theAllReduceKeepsTheDriversLinkQuiet() throws Exception {
    // A model of 7 MB on the bundled Brown text: the driver mode would move more than that per step through the
    // driver's link (the broadcast alone).
    String bench = "java -Xmx1g $JVM_FLAGS -Dlog4j2.configurationFile=$ROOT/conf/log4j2.properties"
        + " -cp \"$ROOT/target/lib/*\" org.apache.spark.deploy.SparkSubmit --master $MASTER_URL"
        + " --conf spark.executor.memory=1g --conf spark.ui.enabled=false"
        + " --conf spark.scheduler.maxRegisteredResourcesWaitingTime=120s --class io.sparkrnn.cli.Main "
        + Processes.appJar() + " bench --conf conf/brown-lstm.properties --warmup 3 --warmup-seconds 0 --steps 6"
        + " model.embed=64 model.hidden=64 data.valid= data.test= spark.partitions=2 spark.aggregation=allreduce";
    Path out = dir.resolve("netem.out");
    Path log = dir.resolve("netem.log");
    ProcessBuilder pb = new ProcessBuilder("jobs/netem-cluster.sh", "--workers", "2", "--rate", "1gbit", "--",
        bench).directory(Processes.ROOT.toFile()).redirectOutput(out.toFile()).redirectError(log.toFile());
    Process p = pb.start();
    if (!p.waitFor(600, java.util.concurrent.TimeUnit.SECONDS)) {
      p.destroy(); // the script deletes its namespaces on TERM
      p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
      throw new IllegalStateException("the emulated cluster did not finish within 600 s:\n" + Files.readString(log));
    }
    if (p.exitValue() == 77) {
      String why = Files.readAllLines(log).stream().filter(l -> l.startsWith("SKIP")).findFirst().orElse("SKIP");
      System.err.println("NetemIT: " + why);
      Assumptions.abort(why);
    }
    assertEquals(0, p.exitValue(), Files.readString(log) + Files.readString(out));
    ObjectMapper json = new ObjectMapper();
    List<Map<?, ?>> lines = new java.util.ArrayList<>();
    for (String l : Files.readAllLines(out)) {
      if (l.startsWith("{")) {
        lines.add(json.readValue(l, Map.class));
      }
    }
    Map<?, ?> result = lines.stream().filter(m -> m.containsKey("tokens_per_s")).findFirst().orElseThrow();
    Map<?, ?> netem = (Map<?, ?>) lines.stream().filter(m -> m.containsKey("netem")).findFirst().orElseThrow()
        .get("netem");
    assertEquals(2, ((Number) netem.get("workers")).intValue());
    double params = ((Number) result.get("param_bytes")).doubleValue();
    double driverLink = ((Number) result.get("driver_link_bytes_per_step")).doubleValue();
    double workerLink = ((Number) result.get("busiest_executor_link_bytes_per_step")).doubleValue();
    assertTrue(params > 5e6, "a model of " + params + " bytes");
    assertTrue(driverLink < 1e6, "the driver's link moved " + driverLink + " bytes per step");
    assertTrue(workerLink > params / 4, "the busiest worker's link moved only " + workerLink + " bytes per step");
  }
}
