package io.sparkrnn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkrnn.data.Vocab;
import io.sparkrnn.nn.LanguageModel;
import io.sparkrnn.optim.Optimizer;
import io.sparkrnn.train.Config;
import io.sparkrnn.train.LanguageModelCard;
import io.sparkrnn.train.RunFolder;
import io.sparkrnn.train.StepBackend;
import io.sparkrnn.train.Sync;
import io.sparkrnn.train.TrainConfig;
import io.sparkrnn.train.TrainLoop;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** spark.aggregation=allreduce in local[2]: the same training as the driver mode, and its recovery. */
class AllReduceTest extends OnLocalSpark {
  /** Adam, and a clip low enough that every step is clipped. */
  private Config clipped(String out, String... more) throws Exception {
    return config(out, more).with("optim", "adam").with("clip", "0.05");
  }

  @Test
  void allReduceEqualsTheDriverModeWithAdamAndClipping() throws Exception {
    TrainLoop.Result driver = SparkTraining.run(clipped("driver", "train.maxSteps=30"), sc);
    TrainLoop.Result allReduce = SparkTraining.run(clipped("allreduce", "train.maxSteps=30",
        "spark.aggregation=allreduce"), sc);
    assertEquals(30, allReduce.steps());
    double d = maxDiff(driver.params(), allReduce.params());
    assertTrue(d < 1e-5, "largest parameter difference " + d);
    assertEquals(driver.validPpl(), allReduce.validPpl(), 1e-5 * driver.validPpl());
    String metrics = Files.readString(dir.resolve("allreduce/metrics.jsonl"));
    assertTrue(metrics.contains("\"grad_norm\""), metrics);
    double firstNorm = ((Number) new com.fasterxml.jackson.databind.ObjectMapper()
        .readValue(metrics.lines().findFirst().orElseThrow(), java.util.Map.class).get("grad_norm")).doubleValue();
    assertTrue(firstNorm > 0.05, "the clip of 0.05 is active: the first logged norm is " + firstNorm);
  }

  @Test
  void howManyStepsAJobRunsChangesNothing() throws Exception {
    TrainLoop.Result one = SparkTraining.run(clipped("perStep", "train.maxSteps=23", "spark.aggregation=allreduce",
        "spark.syncsPerJob=1"), sc);
    TrainLoop.Result seven = SparkTraining.run(clipped("perSeven", "train.maxSteps=23", "spark.aggregation=allreduce",
        "spark.syncsPerJob=7", "log.every=1"), sc);
    assertArrayEquals(one.params(), seven.params());
    // 23 steps in jobs of 7 (the last one of 2): a progress line after each job, each over its own steps.
    java.util.List<String> rows = Files.readAllLines(dir.resolve("perSeven/metrics.jsonl")).stream()
        .filter(l -> l.contains("\"train_loss\"")).toList();
    assertEquals(4, rows.size(), String.join("\n", rows));
    assertTrue(rows.get(0).startsWith("{\"step\":7,"), rows.get(0));
  }

  @Test
  void resumedAllReduceRunEqualsUninterruptedRun() throws Exception {
    TrainLoop.Result whole = SparkTraining.run(clipped("whole", "train.maxSteps=30", "spark.aggregation=allreduce"),
        sc);
    SparkTraining.run(clipped("split", "train.maxSteps=13", "spark.aggregation=allreduce"), sc);
    TrainLoop.Result resumed = SparkTraining.run(clipped("split", "train.maxSteps=30", "resume=true",
        "spark.aggregation=allreduce"), sc);
    assertArrayEquals(whole.params(), resumed.params());
  }

  @Test
  void aStepThatFindsItsSliceGoneThrowsLostStep() throws Exception {
    TrainConfig cfg = TrainConfig.from(clipped("lost", "spark.aggregation=allreduce"));
    Vocab vocab = SparkCorpus.vocab(SparkText.at(sc, cfg.train()), cfg.minCount(), cfg.maxSize());
    LanguageModel model = new LanguageModel(cfg.spec(vocab.size()));
    try (SparkBackend backend = SparkTraining.backend(sc, cfg, vocab, model)) {
      AllReduceSync sync = new AllReduceSync(backend, cfg);
      float[] params = model.initParams(cfg.init(), cfg.initScale(), new io.sparkrnn.math.Rng(1));
      Optimizer opt = cfg.newOptimizer(params.length);
      sync.start(params, opt, null);
      for (int w = 0; w < 3; w++) {
        sync.step(w, new float[] {0.01f}, 1);
      }
      float[] gathered = new float[params.length];
      Optimizer gatheredOpt = cfg.newOptimizer(params.length);
      sync.gather(gathered, gatheredOpt);
      assertEquals(3, gatheredOpt.steps());
      assertTrue(maxDiff(params, gathered) > 0, "three steps changed the parameters");
      ExecutorStore.removeRun(backend.run()); // what an executor that restarts has: no slice, no carried state
      Sync.LostStep e = assertThrows(Sync.LostStep.class, () -> sync.step(3, new float[] {0.01f}, 1));
      assertTrue(e.getMessage().contains("are gone"), e.getMessage());
    }
  }

  /**
   * Of the embedding table, a task reads only the rows its next window looks up (that it reads every row it needs
   * is what the equality with the driver mode shows); a tied table is the output layer, which every window reads.
   */
  @Test
  void aTaskReadsTheEmbeddingRowsItsWindowLooksUpOnly() throws Exception {
    for (boolean tied : new boolean[] {false, true}) {
      TrainConfig cfg = TrainConfig.from(clipped("rows-" + tied, "spark.aggregation=allreduce", "model.tie=" + tied,
          "model.hidden=8"));
      Vocab vocab = SparkCorpus.vocab(SparkText.at(sc, cfg.train()), cfg.minCount(), cfg.maxSize());
      LanguageModel model = new LanguageModel(cfg.spec(vocab.size()));
      try (SparkBackend backend = SparkTraining.backend(sc, cfg, vocab, model)) {
        AllReduceSync sync = new AllReduceSync(backend, cfg);
        float[] params = model.initParams(cfg.init(), cfg.initScale(), new io.sparkrnn.math.Rng(1));
        sync.start(params, cfg.newOptimizer(params.length), null);
        for (int w = 0; w < 4; w++) {
          sync.step(w, new float[] {0.01f}, 1);
        }
        // Each of the 2 tasks reads the other's slice at every step: together all the parameters, 4 bytes each.
        long whole = 4L * 4 * params.length;
        long embedding = 4L * vocab.size() * cfg.spec(vocab.size()).embed();
        long read = sync.traffic.paramBytes();
        if (tied) {
          assertEquals(whole, read, "tied: the whole other slice at every step");
        } else {
          assertTrue(read < whole - embedding, "read " + read + " bytes of " + whole + ", embedding " + embedding);
        }
      }
    }
  }

  @Test
  void aRunThatLosesItsExecutorStateGoesBackToItsCheckpointAndEndsAsAnUninterruptedRun() throws Exception {
    TrainLoop.Result whole = SparkTraining.run(clipped("plain", "train.maxSteps=30", "checkpoint.every=10",
        "spark.aggregation=allreduce", "spark.syncsPerJob=4"), sc);
    Config config = clipped("faulty", "train.maxSteps=30", "checkpoint.every=10", "spark.aggregation=allreduce",
        "spark.syncsPerJob=4");
    TrainConfig cfg = TrainConfig.from(config);
    Vocab vocab = SparkCorpus.vocab(SparkText.at(sc, cfg.train()), cfg.minCount(), cfg.maxSize());
    LanguageModel model = new LanguageModel(cfg.spec(vocab.size()));
    TrainLoop.Result faulty;
    try (RunFolder run = RunFolder.forTraining(cfg.out(), false, false);
        SparkBackend backend = SparkTraining.backend(sc, cfg, vocab, model)) {
      AllReduceSync real = new AllReduceSync(backend, cfg);
      // The real all-reduce in jobs of 4 steps; before the job from step 16 on the executor state is dropped, once
      // (a restarted executor), which costs the steps since the checkpoint at step 12.
      Sync losesStateOnce = new Sync() {
        boolean dropped;

        @Override
        public boolean start(float[] params, Optimizer opt, StepBackend.CarriedState carried) {
          return real.start(params, opt, carried);
        }

        @Override
        public int windowsPerStep() {
          return real.windowsPerStep();
        }

        @Override
        public StepBackend.CarriedState carriedState() {
          return real.carriedState();
        }

        @Override
        public StepStats step(long step, float[] lr, double clip) {
          if (step >= 16 && !dropped) {
            dropped = true;
            ExecutorStore.removeRun(backend.run());
          }
          return real.step(step, lr, clip);
        }

        @Override
        public void gather(float[] params, Optimizer opt) {
          real.gather(params, opt);
        }
      };
      faulty = new TrainLoop(config, new LanguageModelCard(model.spec(), vocab.words()), backend, losesStateOnce,
          run, "test").run(null);
    }
    assertEquals(30, faulty.steps());
    assertArrayEquals(whole.params(), faulty.params());
    long rows = Files.readAllLines(dir.resolve("faulty/metrics.jsonl")).size();
    assertEquals(Files.readAllLines(dir.resolve("plain/metrics.jsonl")).size(), rows,
        "steps 13-16 are logged once, not twice");
  }

  @Test
  void bf16GradientSlicesTrainCloseToFp32() throws Exception {
    TrainLoop.Result fp32 = SparkTraining.run(clipped("fp32", "train.maxSteps=30", "spark.aggregation=allreduce"), sc);
    TrainLoop.Result bf16 = SparkTraining.run(clipped("bf16", "train.maxSteps=30", "spark.aggregation=allreduce",
        "spark.gradientPrecision=bf16"), sc);
    assertEquals(fp32.validPpl(), bf16.validPpl(), 0.02 * fp32.validPpl());
    assertTrue(maxDiff(fp32.params(), bf16.params()) > 0, "bf16 changed nothing: was it used?");
  }

  @Test
  void allReduceNeedsATaskSlotPerPartition() throws Exception {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkTraining.run(
        clipped("slots", "train.maxSteps=2", "spark.aggregation=allreduce").with("spark.partitions", "3"), sc));
    assertTrue(e.getMessage().contains("task slots"), e.getMessage());
  }
}
