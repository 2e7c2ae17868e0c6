package io.sparkrnn.spark;

import static io.sparkrnn.train.Fixtures.with;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkrnn.train.Checkpoint;
import io.sparkrnn.train.GradAccumulator;
import io.sparkrnn.train.LocalTraining;
import io.sparkrnn.train.RunFolder;
import io.sparkrnn.train.TrainLoop;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Spark job in local[2] against the in-process trainer on the same streams. */
class SparkTrainingTest extends OnLocalSpark {
  @Test
  void gradientBlocksAreAddedInPartitionOrderRemovedAfterUseAndALostOneIsReported() {
    var parts = sc.<Integer>parallelize(List.of(0, 1), 2);
    List<GradientBlocks.Shipped> shipped = parts.mapPartitionsWithIndex((p, it) -> {
      GradAccumulator a = new GradAccumulator(1000).sparseRows(100, 50, 10);
      a.grad[p] = p + 1;
      a.grad[173] = 5;
      a.tokens = 10 + p;
      return List.of(GradientBlocks.ship("blocks-test", p, a)).iterator();
    }, true).collect();
    var blocks = org.apache.spark.SparkEnv.get().blockManager();
    blocks.removeBlock(shipped.get(1).block(), true);
    GradAccumulator total = new GradAccumulator(1000);
    total.grad[5] = 99; // stale: replaced
    assertEquals(List.of(1), GradientBlocks.addAll(shipped, total, true));
    assertTrue(shipped.get(0).inJvm(), "local mode hands the object over in the JVM");
    assertEquals(1f, total.grad[0]);
    assertEquals(0f, total.grad[5]);
    assertEquals(0f, total.grad[1]);
    assertEquals(5f, total.grad[173]);
    assertEquals(10, total.tokens);
    assertTrue(blocks.getStatus(shipped.get(0).block()).isEmpty(), "a block read by the driver is removed");
  }

  @Test
  void sparkWithTwoPartitionsEqualsInProcessTrainerOnTheSameStreams() throws Exception {
    TrainLoop.Result spark = SparkTraining.run(config("spark", "train.maxSteps=25"), sc);
    // One thread: the in-process side runs all 4 streams as one batch, so only summation order differs.
    TrainLoop.Result local = LocalTraining.run(config("local", "train.maxSteps=25", "train.threads=1"));
    assertEquals(local.steps(), spark.steps());
    double maxDiff = maxDiff(local.params(), spark.params());
    assertTrue(maxDiff < 1e-4, "largest parameter difference " + maxDiff);
    assertEquals(local.validPpl(), spark.validPpl(), 1e-4 * local.validPpl());
    assertEquals(local.testPpl(), spark.testPpl(), 1e-4 * local.testPpl());
  }

  /**
   * In-process with P threads and Spark with P partitions run the same shards and sum them in the same order, so
   * they agree to the bit, for every cell kind and for the adaptive softmax.
   */
  @Test
  void sparkWithTwoPartitionsEqualsTwoInProcessThreadsToTheBit() throws Exception {
    for (String model : new String[] {"model.cell=lstm", "model.cell=gru", "model.cell=rnn",
        "model.softmax=adaptive model.cutoffs=4,8 model.tailDiv=2", "model.tie=true"}) {
      String name = model.replaceAll("\\W", "-");
      String[] settings = with(model.split(" "), "train.maxSteps=25");
      TrainLoop.Result spark = SparkTraining.run(config("spark" + name, settings), sc);
      TrainLoop.Result local = LocalTraining.run(config("local" + name, with(settings, "train.threads=2")));
      assertArrayEquals(local.params(), spark.params(), model);
      assertEquals(local.trainLoss(), spark.trainLoss(), 0.0, model);
    }
  }

  /**
   * Every dropout kind and both penalties on: masks are keyed by global stream, so Spark's 2 partitions equal the
   * in-process trainer to the bit on 2 threads and to rounding on one (other shards, same masks), and a resumed run
   * draws the masks the uninterrupted one drew. Without the noise the parameters come out elsewhere.
   */
  @Test
  void everyDropoutKindOnSparkEqualsInProcessAndResumesExactly() throws Exception {
    for (String locked : new String[] {"dropout.locked=false", "dropout.locked=true"}) {
      String[] noisy = {"model.layers=2", "dropout.input=0.2", "dropout.hidden=0.3", "dropout.output=0.25",
          "dropout.embedding=0.1", "dropout.weight=0.3", "reg.ar=2", "reg.tar=1", locked, "train.maxSteps=25"};
      TrainLoop.Result spark = SparkTraining.run(config("spark" + locked, noisy), sc);
      assertArrayEquals(LocalTraining.run(config("local2" + locked, with(noisy, "train.threads=2"))).params(),
          spark.params(), locked);
      TrainLoop.Result one = LocalTraining.run(config("local1" + locked, with(noisy, "train.threads=1")));
      assertTrue(maxDiff(one.params(), spark.params()) < 1e-4, "largest parameter difference "
          + maxDiff(one.params(), spark.params()));
      assertEquals(one.testPpl(), spark.testPpl(), 1e-4 * one.testPpl());
      TrainLoop.Result plain = SparkTraining.run(config("plain" + locked, "model.layers=2", "train.maxSteps=25"), sc);
      assertTrue(maxDiff(plain.params(), spark.params()) > 1e-3, "dropout changed nothing");
      SparkTraining.run(config("split" + locked, with(noisy, "train.maxSteps=12")), sc);
      TrainLoop.Result resumed = SparkTraining.run(config("split" + locked, with(noisy, "resume=true")), sc);
      assertArrayEquals(spark.params(), resumed.params(), locked);
    }
  }

  /**
   * NT-ASGD and reduce-on-plateau at a rate where validation gets worse, on Spark's 2 partitions: the same
   * decisions, mean and iterate as the in-process trainer on 2 threads, and a run resumed while averaging ends
   * where the uninterrupted one did.
   */
  @Test
  void averagingAndPlateauOnSparkEqualInProcessAndResumeExactly() throws Exception {
    String[] nt = {"optim.average=nt", "optim.averagePatience=0", "eval.every=5", "optim.lr=0.5",
        "lr.schedule=plateau", "lr.decay=0.7", "train.maxSteps=40"};
    TrainLoop.Result spark = SparkTraining.run(config("spark", nt), sc);
    Checkpoint end = RunFolder.existing(dir.resolve("spark").toString()).loadCheckpoint();
    assertTrue(end.averageFrom() > 0 && end.averageFrom() < 37, "averaging started at " + end.averageFrom());
    TrainLoop.Result local = LocalTraining.run(config("local", with(nt, "train.threads=2")));
    assertArrayEquals(local.params(), spark.params());
    assertArrayEquals(RunFolder.existing(dir.resolve("local").toString()).loadCheckpoint().iterate(), end.iterate());
    SparkTraining.run(config("split", with(nt, "train.maxSteps=" + (end.averageFrom() + 3))), sc);
    TrainLoop.Result resumed = SparkTraining.run(config("split", with(nt, "resume=true")), sc);
    assertArrayEquals(spark.params(), resumed.params());
  }

  @Test
  void adaptiveSoftmaxOnSparkEqualsInProcessAndResumesExactly() throws Exception {
    String[] adaptive = {"model.softmax=adaptive", "model.cutoffs=4,8", "model.tailDiv=2"};
    TrainLoop.Result spark = SparkTraining.run(config("spark", with(adaptive, "train.maxSteps=25")), sc);
    TrainLoop.Result local = LocalTraining.run(config("local", with(adaptive, "train.maxSteps=25",
        "train.threads=1")));
    double maxDiff = maxDiff(local.params(), spark.params());
    assertTrue(maxDiff < 1e-4, "largest parameter difference " + maxDiff);
    assertEquals(local.testPpl(), spark.testPpl(), 1e-4 * local.testPpl());
    SparkTraining.run(config("split", with(adaptive, "train.maxSteps=13")), sc);
    TrainLoop.Result resumed = SparkTraining.run(config("split", with(adaptive, "train.maxSteps=25",
        "resume=true")), sc);
    assertArrayEquals(spark.params(), resumed.params());
  }

  /**
   * A folder of gzip files from the corpus generator, read as a glob: the adaptive softmax over its spellings
   * trains, and a run stopped mid-epoch resumes to the parameters of an uninterrupted one.
   */
  @Test
  void aGeneratedCorpusOfGzipFilesTrainsAndResumesMidEpoch() throws Exception {
    io.sparkrnn.data.SyntheticCorpus.fit(io.sparkrnn.train.Fixtures.corpus(dir, "seed.txt", 300, 5))
        .generate(dir.resolve("generated"), 40_000, 4, 3, 2);
    String[] generated = {"data.train=" + dir.resolve("generated") + "/part-*.txt.gz", "model.softmax=adaptive",
        "model.cutoffs=4,12", "model.tailDiv=2", "train.epochs=1"};
    TrainLoop.Result whole = SparkTraining.run(config("gz-whole", with(generated, "train.maxSteps=40")), sc);
    assertTrue(Double.isFinite(whole.validPpl()), "valid perplexity " + whole.validPpl());
    SparkTraining.run(config("gz-split", with(generated, "train.maxSteps=17")), sc);
    TrainLoop.Result resumed = SparkTraining.run(config("gz-split", with(generated, "train.maxSteps=40",
        "resume=true")), sc);
    assertArrayEquals(whole.params(), resumed.params());
  }

  @Test
  void resumedSparkRunEqualsUninterruptedRun() throws Exception {
    TrainLoop.Result whole = SparkTraining.run(config("whole", "train.maxSteps=30"), sc);
    SparkTraining.run(config("split", "train.maxSteps=13"), sc);
    TrainLoop.Result resumed = SparkTraining.run(config("split", "train.maxSteps=30", "resume=true"), sc);
    assertArrayEquals(whole.params(), resumed.params());
  }

  @Test
  void wordVectorsAsAParquetDataFrameOfMllibVectors() throws Exception {
    SparkTraining.run(config("vectors", "train.maxSteps=2"), sc);
    io.sparkrnn.train.Checkpoint ck;
    try (java.io.InputStream in = java.nio.file.Files.newInputStream(dir.resolve("vectors/checkpoint/model.ckpt"))) {
      ck = io.sparkrnn.train.Checkpoint.read(in, "model.ckpt");
    }
    io.sparkrnn.infer.WordVectors vectors = new io.sparkrnn.infer.WordVectors(ck);
    org.apache.spark.sql.SparkSession spark = org.apache.spark.sql.SparkSession.builder().sparkContext(sc.sc())
        .config("spark.sql.warehouse.dir", dir.resolve("warehouse").toUri().toString()).getOrCreate();
    String path = dir.resolve("vectors.parquet").toUri().toString();
    WordVectorsFrame.writeParquet(spark, vectors, path, false);
    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> back = spark.read().parquet(path);
    assertEquals(WordVectorsFrame.SCHEMA.simpleString(), back.schema().simpleString());
    assertEquals(ck.vocab().size(), back.count());
    org.apache.spark.sql.Row cat = back.where("word = 'cat'").first();
    org.apache.spark.ml.linalg.Vector v = cat.getAs("vector");
    assertArrayEquals(vectors.vector(vectors.vocab().id("cat")), v.toArray(), 0.0);
  }

  @Test
  void aSingleLineOfTenMillionTokensTrains() throws Exception {
    Path line = dir.resolve("one-line.txt");
    String[] words = new String[50];
    for (int i = 0; i < words.length; i++) {
      words[i] = "w" + i;
    }
    try (java.io.Writer w = java.nio.file.Files.newBufferedWriter(line)) {
      for (int i = 0; i < 10_000_000; i++) {
        w.write(words[(i * 7 + i / 13) % words.length]);
        w.write(' ');
      }
      w.write('\n');
    }
    TrainLoop.Result r = SparkTraining.run(config("long", "data.train=" + line, "data.valid=", "data.test=",
        "train.maxSteps=3"), sc);
    assertEquals(3, r.steps());
    String summary = java.nio.file.Files.readString(dir.resolve("long/summary.json"));
    assertTrue(summary.contains("\"vocab\" : 52"), summary);
  }

  @Test
  void bf16GradientsTrainCloseToFp32() throws Exception {
    TrainLoop.Result fp32 = SparkTraining.run(config("fp32", "train.maxSteps=40"), sc);
    TrainLoop.Result bf16 = SparkTraining.run(config("bf16", "train.maxSteps=40", "spark.gradientPrecision=bf16"), sc);
    assertEquals(fp32.validPpl(), bf16.validPpl(), 0.02 * fp32.validPpl());
    assertTrue(maxDiff(fp32.params(), bf16.params()) > 0, "bf16 changed nothing: was it used?");
  }
}
