package io.sparkrnn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkrnn.train.Config;
import io.sparkrnn.train.Fixtures;
import io.sparkrnn.train.LocalTraining;
import io.sparkrnn.train.TrainLoop;
import org.junit.jupiter.api.Test;

/** Tree classifiers through the same Spark backend and syncs as the language model, against in-process. */
class TreeSparkTest extends OnLocalSpark {
  private Config trees(String out, String... more) throws Exception {
    return Fixtures.tinyTrees(dir, out, more).with("spark.partitions", "2").with("spark.master", "local[2]");
  }

  @Test
  void sparkWithTwoPartitionsEqualsTwoInProcessThreadsToTheBitAndOneThreadToRounding() throws Exception {
    TrainLoop.Result spark = SparkTraining.run(trees("spark", "train.maxSteps=20"), sc);
    TrainLoop.Result two = LocalTraining.run(Fixtures.tinyTrees(dir, "two", "train.maxSteps=20"));
    TrainLoop.Result one = LocalTraining.run(Fixtures.tinyTrees(dir, "one", "train.maxSteps=20", "train.threads=1"));
    assertEquals(20, spark.steps());
    assertArrayEquals(two.params(), spark.params());
    assertEquals(two.trainLoss(), spark.trainLoss(), 0.0);
    assertEquals(two.validPpl(), spark.validPpl(), 1e-9 * two.validPpl());
    double maxDiff = maxDiff(one.params(), spark.params());
    assertTrue(maxDiff < 1e-4, "largest parameter difference " + maxDiff);
    assertEquals(one.testPpl(), spark.testPpl(), 1e-4 * one.testPpl());
  }

  @Test
  void theAllReduceTrainsTheChildSumTreeLstmAsTheDriverDoes() throws Exception {
    String[] common = {"train.maxSteps=8", "optim=sgd", "optim.lr=0.5", "model.cell=childsum"};
    TrainLoop.Result driver = SparkTraining.run(trees("driver", common), sc);
    TrainLoop.Result allReduce = SparkTraining.run(trees("allreduce", Fixtures.with(common,
        "spark.aggregation=allreduce")), sc);
    double maxDiff = maxDiff(driver.params(), allReduce.params());
    assertTrue(maxDiff < 1e-5, "all-reduce against the driver: largest parameter difference " + maxDiff);
  }
}
