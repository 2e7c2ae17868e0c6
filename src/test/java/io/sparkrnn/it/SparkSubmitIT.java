package io.sparkrnn.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The application jar as a cluster user submits it: Spark's SparkSubmit, the jar, the train command. */
class SparkSubmitIT {
  @TempDir
  Path dir;

  @Test
  void sparkSubmitOfTheApplicationJarWritesAValidRunFolder() throws Exception {
    Path out = dir.resolve("run");
    List<String> cmd = Processes.java("-cp", Processes.libClasspath(), "org.apache.spark.deploy.SparkSubmit",
        "--master", "local[2]", "--class", "io.sparkrnn.cli.Main", Processes.appJar().toString(),
        "train", "--conf", "conf/tiny.properties", "out=" + out.toUri(), "train.maxSteps=12");
    Path log = dir.resolve("submit.log");
    int code = Processes.run(cmd, log, 240);
    String text = Files.readString(log);
    assertEquals(0, code, text);
    assertTrue(text.contains("on Spark local[2], 2 partitions"), text);
    String summary = Files.readString(out.resolve("summary.json"));
    assertTrue(summary.contains("\"steps\" : 12"), summary);
    assertTrue(Files.size(out.resolve("checkpoint/model.ckpt")) > 0);
    assertTrue(Files.readAllLines(out.resolve("metrics.jsonl")).size() >= 3);
  }
}
