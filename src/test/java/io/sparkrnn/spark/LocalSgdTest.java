package io.sparkrnn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkrnn.data.Vocab;
import io.sparkrnn.nn.LanguageModel;
import io.sparkrnn.train.Config;
import io.sparkrnn.train.LanguageModelCard;
import io.sparkrnn.train.LocalTraining;
import io.sparkrnn.train.RunFolder;
import io.sparkrnn.train.TrainConfig;
import io.sparkrnn.train.TrainLoop;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** spark.syncEvery=k (local SGD) in local[2]: its policy checked against the synchronous mode, resume, errors. */
class LocalSgdTest extends OnLocalSpark {
  /** The driver loop with local-SGD rounds of k = cfg's spark.syncEvery, chosen directly (k = 1 included). */
  private TrainLoop.Result localSgd(Config config) throws Exception {
    TrainConfig cfg = TrainConfig.from(config);
    Vocab vocab = SparkCorpus.vocab(SparkText.at(sc, cfg.train()), cfg.minCount(), cfg.maxSize());
    LanguageModel model = new LanguageModel(cfg.spec(vocab.size()));
    try (RunFolder run = RunFolder.forTraining(cfg.out(), false, false);
        SparkBackend backend = SparkTraining.backend(sc, cfg, vocab, model)) {
      return new TrainLoop(config, new LanguageModelCard(model.spec(), vocab.words()), backend,
          new LocalSgdSync(backend, cfg), run, "test").run(null);
    }
  }

  @Test
  void roundsOfOneStepWithPlainSgdAreTheSynchronousMode() throws Exception {
    String[] sgd = {"train.maxSteps=20", "optim=sgd", "optim.lr=0.5", "clip=0"};
    TrainLoop.Result sync = SparkTraining.run(config("sync", sgd), sc);
    TrainLoop.Result rounds = localSgd(config("rounds", sgd));
    double d = maxDiff(sync.params(), rounds.params());
    assertTrue(d < 1e-6, "largest parameter difference " + d);
    float[] fourStepRounds = localSgd(config("rounds4", sgd).with("spark.syncEvery", "4")).params();
    assertTrue(maxDiff(sync.params(), fourStepRounds) > 1e-4,
        "rounds of 4 steps are not the synchronous mode: was the round length used?");
  }

  @Test
  void roundsOfFourStepsLearnAndARunStoppedAtARoundsEndResumesExactly() throws Exception {
    String[] k4 = {"spark.syncEvery=4", "checkpoint.every=6", "log.every=3"};
    TrainLoop.Result sync = SparkTraining.run(config("sync", "train.maxSteps=40"), sc);
    TrainLoop.Result whole = SparkTraining.run(config("whole", k4).with("train.maxSteps", "40"), sc);
    assertEquals(40, whole.steps());
    assertTrue(whole.validPpl() < 1.25 * sync.validPpl(), "local SGD valid " + whole.validPpl() + " against "
        + sync.validPpl());
    SparkTraining.run(config("split", k4).with("train.maxSteps", "16"), sc);
    TrainLoop.Result resumed = SparkTraining.run(config("split", k4).with("train.maxSteps", "40")
        .with("resume", "true"), sc);
    assertEquals(40, resumed.steps());
    assertArrayEquals(whole.params(), resumed.params());
    // Rounds of 4 pass a multiple of 6 at steps 8, 12, 24, ...: a checkpoint is written at a round's end only.
    String metrics = Files.readString(dir.resolve("whole/metrics.jsonl"));
    assertTrue(metrics.contains("\"step\":4,") && !metrics.contains("\"step\":3,"), metrics);
  }

  @Test
  void roundsAveragedByTheSliceOwnersEqualRoundsAveragedOnTheDriverAndResumeExactly() throws Exception {
    String[] k4 = {"spark.syncEvery=4", "clip=0.05", "checkpoint.every=8"};
    TrainLoop.Result driver = SparkTraining.run(config("driver", k4).with("train.maxSteps", "24"), sc);
    TrainLoop.Result slices = SparkTraining.run(config("slices", k4).with("train.maxSteps", "24")
        .with("spark.aggregation", "allreduce"), sc);
    assertEquals(24, slices.steps());
    double d = maxDiff(driver.params(), slices.params());
    assertTrue(d < 1e-5, "largest parameter difference " + d);
    assertTrue(maxDiff(driver.params(), SparkTraining.run(config("sync", "train.maxSteps=24", "clip=0.05"), sc)
        .params()) > 1e-4, "rounds of 4 steps are not the synchronous mode: did the owners average rounds?");
    SparkTraining.run(config("split", k4).with("train.maxSteps", "8").with("spark.aggregation", "allreduce"), sc);
    TrainLoop.Result resumed = SparkTraining.run(config("split", k4).with("train.maxSteps", "24")
        .with("spark.aggregation", "allreduce").with("resume", "true"), sc);
    assertArrayEquals(slices.params(), resumed.params());
  }

  @Test
  void localSgdNeedsSpark() throws Exception {
    IllegalArgumentException inProcess = assertThrows(IllegalArgumentException.class, () -> LocalTraining.run(
        config("none", "spark.syncEvery=4", "spark.master=none")));
    assertTrue(inProcess.getMessage().contains("needs Spark"), inProcess.getMessage());
  }
}
