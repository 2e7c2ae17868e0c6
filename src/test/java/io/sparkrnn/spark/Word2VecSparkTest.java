package io.sparkrnn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkrnn.train.Fixtures;
import io.sparkrnn.train.LocalTraining;
import io.sparkrnn.train.TrainLoop;
import org.junit.jupiter.api.Test;

/** word2vec's row averaging through the Spark backend against the in-process threads, to the bit. */
class Word2VecSparkTest extends OnLocalSpark {
  @Test
  void sparkEqualsTheInProcessTrainerWithOneAndTwoPartitions() throws Exception {
    for (int p = 1; p <= 2; p++) {
      TrainLoop.Result spark = SparkTraining.run(Fixtures.tinyWords(dir, "spark" + p, "train.epochs=1")
          .with("spark.master", "local[2]").with("spark.partitions", "" + p), sc);
      TrainLoop.Result local = LocalTraining.run(Fixtures.tinyWords(dir, "local" + p, "train.epochs=1",
          "train.threads=" + p));
      assertEquals(local.steps(), spark.steps());
      assertArrayEquals(local.params(), spark.params(), p + " partitions");
      assertEquals(local.trainLoss(), spark.trainLoss(), 0.0);
      assertEquals(local.testPpl(), spark.testPpl(), 1e-9 * local.testPpl());
    }
  }
}
