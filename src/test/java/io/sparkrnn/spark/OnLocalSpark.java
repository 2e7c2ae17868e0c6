package io.sparkrnn.spark;

import io.sparkrnn.train.Config;
import io.sparkrnn.train.Fixtures;
import io.sparkrnn.train.TrainConfig;
import java.nio.file.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the Spark training tests share: one local[2] context per test class, configured as the job configures
 * it, a folder per test, the tiny configuration on 2 partitions, and comparisons.
 */
class OnLocalSpark {
  static JavaSparkContext sc;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() throws Exception {
    sc = new JavaSparkContext(SparkTraining.sparkConf(TrainConfig.from(Config.load(null,
        java.util.List.of("spark.master=local[2]")))));
  }

  @AfterAll
  static void stop() {
    sc.stop();
  }

  /** The tiny configuration on 2 partitions, run folder {@code out} in this test's folder. */
  Config config(String out, String... more) throws Exception {
    return Fixtures.tiny(dir, out, more).with("spark.partitions", "2");
  }

  static double maxDiff(float[] a, float[] b) {
    double d = 0;
    for (int i = 0; i < a.length; i++) {
      d = Math.max(d, Math.abs(a[i] - b[i]));
    }
    return d;
  }
}
