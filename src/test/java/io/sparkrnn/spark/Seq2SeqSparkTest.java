package io.sparkrnn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkrnn.train.Config;
import io.sparkrnn.train.Fixtures;
import io.sparkrnn.train.LocalTraining;
import io.sparkrnn.train.TrainLoop;
import org.junit.jupiter.api.Test;

/** The encoder-decoder through the same Spark backend and syncs as the language model, against in-process. */
class Seq2SeqSparkTest extends OnLocalSpark {
  private Config pairs(String out, String... more) throws Exception {
    return Fixtures.tinyPairs(dir, out, more).with("spark.partitions", "2").with("spark.master", "local[2]");
  }

  @Test
  void sparkWithTwoPartitionsEqualsTwoInProcessThreadsToTheBitAndOneThreadToRounding() throws Exception {
    TrainLoop.Result spark = SparkTraining.run(pairs("spark", "train.maxSteps=20"), sc);
    TrainLoop.Result two = LocalTraining.run(Fixtures.tinyPairs(dir, "two", "train.maxSteps=20"));
    TrainLoop.Result one = LocalTraining.run(Fixtures.tinyPairs(dir, "one", "train.maxSteps=20", "train.threads=1"));
    assertEquals(20, spark.steps());
    assertArrayEquals(two.params(), spark.params());
    assertEquals(two.trainLoss(), spark.trainLoss(), 0.0);
    assertEquals(two.validPpl(), spark.validPpl(), 1e-9 * two.validPpl());
    double maxDiff = maxDiff(one.params(), spark.params());
    assertTrue(maxDiff < 1e-4, "largest parameter difference " + maxDiff);
    assertEquals(one.testPpl(), spark.testPpl(), 1e-4 * one.testPpl());
  }

  @Test
  void allReduceAndLocalSgdRunTheEncoderDecoderToo() throws Exception {
    TrainLoop.Result driver = SparkTraining.run(pairs("driver", "train.maxSteps=8", "optim=sgd", "optim.lr=0.5"), sc);
    TrainLoop.Result allReduce = SparkTraining.run(pairs("allreduce", "train.maxSteps=8", "optim=sgd",
        "optim.lr=0.5", "spark.aggregation=allreduce"), sc);
    double maxDiff = maxDiff(driver.params(), allReduce.params());
    assertTrue(maxDiff < 1e-5, "all-reduce against the driver: largest parameter difference " + maxDiff);
    TrainLoop.Result rounds = SparkTraining.run(pairs("rounds", "train.maxSteps=8", "spark.syncEvery=4"), sc);
    assertEquals(8, rounds.steps());
    // Better than a uniform guess over the 12 target words (ten, </s>, <unk>).
    assertTrue(rounds.validPpl() < 12, "valid perplexity after local-SGD rounds " + rounds.validPpl());
  }
}
