package io.sparkrnn.spark;

import io.sparkrnn.data.Lanes;
import io.sparkrnn.data.TokenStreams;
import io.sparkrnn.data.Vocab;
import io.sparkrnn.nn.LanguageModel;
import io.sparkrnn.train.Checkpoint;
import io.sparkrnn.train.Config;
import io.sparkrnn.train.DriverSync;
import io.sparkrnn.train.LanguageModelCard;
import io.sparkrnn.train.LanguageModelObjective;
import io.sparkrnn.train.LocalTraining;
import io.sparkrnn.train.ModelCard;
import io.sparkrnn.train.Objective;
import io.sparkrnn.train.RunFolder;
import io.sparkrnn.train.Seq2SeqCard;
import io.sparkrnn.train.Seq2SeqConfig;
import io.sparkrnn.train.Seq2SeqTraining;
import io.sparkrnn.train.Shard;
import io.sparkrnn.train.Sync;
import io.sparkrnn.train.TrainConfig;
import io.sparkrnn.train.TrainLoop;
import io.sparkrnn.train.TreeCard;
import io.sparkrnn.train.TreeConfig;
import io.sparkrnn.train.TreeTraining;
import io.sparkrnn.train.Word2VecCard;
import io.sparkrnn.train.Word2VecTraining;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Training on Spark: corpus and run folder on any Hadoop path, vocabulary by distributed word count,
 * cached stream partitions, and the shared driver loop over a {@link SparkBackend}.
 */
public final class SparkTraining {
  private static final Logger LOG = LoggerFactory.getLogger(SparkTraining.class);

  private SparkTraining() {}

  /**
   * The Spark settings of the job. A master given by spark-submit wins over {@code spark.master};
   * results up to 512 MB travel directly to the driver instead of through the block manager, and each
   * executor task uses one BLAS thread (Spark already runs one task per core).
   */
  public static SparkConf sparkConf(TrainConfig cfg) {
    SparkConf conf = new SparkConf().setAppName("spark-rnn train " + cfg.out());
    if (!conf.contains("spark.master")) {
      conf.setMaster(cfg.sparkMaster());
    }
    onLoopbackIfLocal(conf);
    conf.setIfMissing("spark.task.maxDirectResultSize", "512m");
    conf.setIfMissing("spark.rpc.message.maxSize", "512");
    conf.setIfMissing("spark.driver.maxResultSize", "2g");
    conf.setIfMissing("spark.executorEnv.OPENBLAS_NUM_THREADS", "1");
    conf.set("spark.speculation", "false"); // a partition's carried state and buffers allow one attempt at a time
    conf.setIfMissing("spark.ui.showConsoleProgress", "false");
    // Random floats barely compress: compressing the per-step broadcast only costs time.
    conf.setIfMissing("spark.broadcast.compress", "false");
    // An Adler32 pass over 31 MB every step; the transport already checks what it carries.
    conf.setIfMissing("spark.broadcast.checksum", "false");
    conf.setIfMissing("spark.executor.extraJavaOptions", "--add-modules=jdk.incubator.vector");
    // The partitions are cut by a shuffle of the corpus's few input splits: with reduce locality the cut
    // partitions would be cached on the executors that read the splits, and every step would run there.
    conf.setIfMissing("spark.shuffle.reduceLocality.enabled", "false");
    if (cfg.allReduce()) {
      // A barrier job waits for a slot per partition; after a lost executor, look again every second (not 15 s).
      conf.setIfMissing("spark.scheduler.barrier.maxConcurrentTasksCheck.interval", "1s");
      conf.setIfMissing("spark.scheduler.barrier.maxConcurrentTasksCheck.maxFailures", "300");
      // Barrier tasks start together: one that waited for a busy preferred executor would hold up every
      // step by the wait (3 s by default). Its slice follows it through the blocks.
      conf.setIfMissing("spark.locality.wait", "0s");
    }
    return conf;
  }

  /** Local mode needs no network: keeps the driver on loopback whatever the host name resolves to. */
  public static SparkConf onLoopbackIfLocal(SparkConf conf) {
    if (conf.get("spark.master", "").startsWith("local")) {
      conf.setIfMissing("spark.driver.host", "127.0.0.1");
      conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
    }
    return conf;
  }

  /** Creates a Spark context for the run, trains, and stops the context. */
  public static TrainLoop.Result run(Config config) throws IOException {
    TrainConfig cfg = TrainConfig.from(config);
    try (JavaSparkContext sc = new JavaSparkContext(sparkConf(cfg))) {
      return run(config, sc);
    }
  }

  /** Trains on an existing context (left running). */
  public static TrainLoop.Result run(Config config, JavaSparkContext sc) throws IOException {
    return run(config, sc, SparkText.files(sc));
  }

  /** Trains on an existing context (left running), reading what data.train, data.valid and data.test name from texts. */
  public static TrainLoop.Result run(Config given, JavaSparkContext sc, SparkText.Source texts) throws IOException {
    // Before the run folder and the word count: a cluster that refused the application ends the run here.
    int slots = plannedSlots(sc, TrainConfig.from(given));
    Config config = resolveAggregation(given, sc, slots);
    TrainConfig cfg = TrainConfig.from(config);
    try (RunFolder run = RunFolder.forTraining(cfg.out(), cfg.resume(), cfg.overwrite())) {
      Checkpoint ck = cfg.resume() ? run.loadCheckpoint() : null;
      switch (ModelCard.family(config)) {
        case Seq2SeqCard.FAMILY:
          return seq2seq(config, cfg, sc, run, ck, slots, texts);
        case Word2VecCard.FAMILY:
          return word2vec(config, cfg, sc, run, ck, slots, texts);
        case TreeCard.FAMILY:
          return trees(config, cfg, sc, run, ck, slots, texts);
        default:
          break;
      }
      long t0 = System.nanoTime();
      Vocab vocab = ck != null ? new Vocab(ck.vocab())
          : SparkCorpus.vocab(texts.open(cfg.train()), cfg.minCount(), cfg.maxSize()).requireTrainable(cfg.minCount());
      if (ck == null) {
        LOG.info(String.format("Vocabulary: %,d words, counted on the executors in %.1f s", vocab.size(),
            (System.nanoTime() - t0) / 1e9));
      }
      LanguageModel model = new LanguageModel(cfg.spec(vocab.size()));
      try (SparkBackend backend = backend(sc, cfg, vocab, model, slots, texts)) {
        LanguageModelCard card = LanguageModelCard.forRun(model.spec(), vocab.words(), config, ck != null);
        return new TrainLoop(config, card, backend, sync(backend, cfg), run, mode(sc, cfg, backend)).run(ck);
      }
    }
  }

  /** An encoder-decoder: the pairs read on the driver, their lanes cut into cached partitions. */
  private static TrainLoop.Result seq2seq(Config config, TrainConfig cfg, JavaSparkContext sc, RunFolder run,
      Checkpoint ck, int slots, SparkText.Source texts) throws IOException {
    Seq2SeqTraining.Prepared p = Seq2SeqTraining.prepare(cfg, Seq2SeqConfig.from(config), ck,
        path -> texts.open(path).lines().collect());
    try (SparkBackend backend = laneBackend(sc, cfg, slots, p.objective(), p.train(), p.eval())) {
      return p.loop(config, backend, sync(backend, cfg), run, mode(sc, cfg, backend)).run(ck);
    }
  }

  /** A tree classifier: the trees read on the driver, their lanes cut into cached partitions. */
  private static TrainLoop.Result trees(Config config, TrainConfig cfg, JavaSparkContext sc, RunFolder run,
      Checkpoint ck, int slots, SparkText.Source texts) throws IOException {
    TreeTraining.Prepared p = TreeTraining.prepare(cfg, TreeConfig.from(config), ck,
        path -> texts.open(path).lines().collect());
    try (SparkBackend backend = laneBackend(sc, cfg, slots, p.objective(), p.train(), p.eval())) {
      return p.loop(config, backend, sync(backend, cfg), run, mode(sc, cfg, backend)).run(ck);
    }
  }

  /** word2vec: the text read on the driver, its lanes cut into cached partitions. */
  private static TrainLoop.Result word2vec(Config config, TrainConfig cfg, JavaSparkContext sc, RunFolder run,
      Checkpoint ck, int slots, SparkText.Source texts) throws IOException {
    Word2VecTraining.Prepared p = Word2VecTraining.prepare(config, cfg, ck, path -> texts.open(path).lines()
        .collect());
    try (SparkBackend backend = laneBackend(sc, cfg, slots, p.objective(), p.train(), p.eval())) {
      return p.loop(config, backend, run, mode(sc, cfg, backend)).run(ck);
    }
  }

  /** A backend over examples read on the driver: the training lanes and each split's cut into cached partitions. */
  private static SparkBackend laneBackend(JavaSparkContext sc, TrainConfig cfg, int slots, Objective<?> objective,
      Lanes train, Map<String, ? extends Lanes> evalData) {
    int partitions = partitions(sc, cfg, slots);
    Map<String, SparkCorpus.Split> eval = new LinkedHashMap<>();
    evalData.forEach((split, data) -> eval.put(split, lanes(sc, data, partitions)));
    return new SparkBackend(sc, objective, train.batches(), lanes(sc, train, partitions), eval, cfg.treeDepth(),
        cfg.bf16Gradients(), null);
  }

  /** Partition p holds the lanes that in-process shard p holds ({@link Shard#bounds}). */
  private static SparkCorpus.Split lanes(JavaSparkContext sc, Lanes data, int partitions) {
    int[] bounds = Shard.bounds(data.lanes(), partitions);
    List<Lanes> parts = new java.util.ArrayList<>();
    int[] per = new int[bounds.length - 1];
    for (int i = 0; i < per.length; i++) {
      per[i] = bounds[i + 1] - bounds[i];
      parts.add(data.keepLanes(bounds[i], per[i]));
    }
    return SparkCorpus.cached(sc, parts, per, data.tokens());
  }

  private static String mode(JavaSparkContext sc, TrainConfig cfg, SparkBackend backend) {
    return "on Spark " + sc.master() + ", " + backend.partitions() + " partitions" + (cfg.allReduce()
        ? ", all-reduce" : "") + (cfg.syncEvery() > 1 ? ", local SGD every " + cfg.syncEvery() + " steps" : "");
  }

  /**
   * spark.aggregation=auto on this context, written into the config as driver or allreduce: the all-reduce where
   * gradients would cross a network to the driver (not local mode), Spark runs barrier stages (no dynamic
   * allocation) and every partition gets a task slot, for a run that has it (not word2vec, not NT-ASGD).
   */
  static Config resolveAggregation(Config config, JavaSparkContext sc, int slots) {
    if (!config.get("spark.aggregation").equals("auto")) {
      return config;
    }
    String why = TrainConfig.autoTakesTheDriverMode(config, sc.isLocal(),
        sc.getConf().getBoolean("spark.dynamicAllocation.enabled", false));
    int partitions = plannedPartitions(sc, TrainConfig.from(config), slots);
    if (why == null && partitions > slots) {
      why = "the cluster offers " + slots + " task slots for " + partitions + " partitions";
    }
    if (!sc.isLocal()) {
      LOG.info("spark.aggregation=auto: {}", why == null ? "the all-reduce (a cluster with a task slot per partition)"
          : "the driver mode (" + why + ")");
    }
    return config.with("spark.aggregation", why == null ? "allreduce" : "driver");
  }

  /** How the steps synchronise: spark.aggregation (driver, allreduce, auto), spark.syncEvery=k for local SGD. */
  public static Sync sync(SparkBackend backend, TrainConfig cfg) {
    return cfg.allReduce() ? new AllReduceSync(backend, cfg)
        : cfg.syncEvery() > 1 ? new LocalSgdSync(backend, cfg) : new DriverSync(backend);
  }

  /**
   * Waits until the cluster offers {@code wanted} task slots, at most spark.scheduler.maxRegisteredResourcesWaitingTime
   * (30 s by default), and returns how many it offers. Spark starts a job as soon as one executor has registered
   * (unless spark.cores.max is set): the partitions would be cut, cached and pinned on the first executors only,
   * and every step would run on those few.
   */
  static int awaitExecutors(JavaSparkContext sc, int wanted) {
    requireRunning(sc);
    long waitMs = sc.getConf().getTimeAsMs("spark.scheduler.maxRegisteredResourcesWaitingTime", "30s");
    long deadline = System.nanoTime() + waitMs * 1_000_000L;
    int slots = taskSlots(sc);
    int shown = -1;
    while (slots < wanted && System.nanoTime() < deadline) {
      if (slots != shown) {
        LOG.info("waiting for executors: {} of {} task slots registered", slots, wanted);
        shown = slots;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      requireRunning(sc);
      slots = taskSlots(sc);
    }
    return slots;
  }

  /**
   * Spark stops the context when the master refuses or never answers the application (a wrong master URL,
   * or a secret that does not match the cluster's), after its registration retries; a job started on the
   * stopping context could wait forever, so the run ends with one sentence instead.
   */
  private static void requireRunning(JavaSparkContext sc) {
    if (sc.sc().isStopped()) {
      throw new IllegalArgumentException("the Spark master " + sc.master() + " did not accept this application"
          + " (the driver log says why): check the master URL and, with spark.authenticate=true, that"
          + " spark.authenticate.secret is the cluster's");
    }
  }

  /** The task slots to plan for: local mode's threads, or the executors a cluster offers after waiting. */
  private static int plannedSlots(JavaSparkContext sc, TrainConfig cfg) {
    return sc.isLocal() ? sc.defaultParallelism() : awaitExecutors(sc, Math.max(1, cfg.partitions()));
  }

  /** Tasks the registered executors can run at once (what Spark's barrier check counts). */
  private static int taskSlots(JavaSparkContext sc) {
    SparkContext c = sc.sc();
    return c.maxNumConcurrentTasks(c.resourceProfileManager().defaultResourceProfile());
  }

  /** P: spark.partitions, else local mode's threads or at least 2 on a cluster. */
  private static int plannedPartitions(JavaSparkContext sc, TrainConfig cfg, int slots) {
    return cfg.partitions() > 0 ? cfg.partitions() : sc.isLocal() ? slots : Math.max(2, slots);
  }

  /** Cuts the splits into cached partitions of streams (P from spark.partitions or the default parallelism). */
  public static SparkBackend backend(JavaSparkContext sc, TrainConfig cfg, Vocab vocab, LanguageModel model)
      throws IOException {
    return backend(sc, cfg, vocab, model, plannedSlots(sc, cfg), SparkText.files(sc));
  }

  private static SparkBackend backend(JavaSparkContext sc, TrainConfig cfg, Vocab vocab, LanguageModel model,
      int slots, SparkText.Source texts) throws IOException {
    int partitions = partitions(sc, cfg, slots);
    // The vocabulary stays broadcast as long as the partitions live: rebuilding a partition lost with an
    // executor reads it again.
    Broadcast<Vocab> vocabBc = sc.broadcast(vocab);
    try {
      long t0 = System.nanoTime();
      SparkCorpus.Split train = SparkCorpus.streams(texts.open(cfg.train()), vocabBc, cfg.batch(), partitions);
      LOG.info(String.format("Training text: %,d tokens (%,d unknown) in %d cached partitions, cut in %.1f s",
          train.tokens(), train.unknown(), partitions, (System.nanoTime() - t0) / 1e9));
      LocalTraining.checkLongEnough(train.tokens(), cfg);
      Map<String, SparkCorpus.Split> eval = new LinkedHashMap<>();
      if (!cfg.valid().isEmpty()) {
        eval.put("valid", SparkCorpus.streams(texts.open(cfg.valid()), vocabBc, cfg.evalBatch(), partitions));
      }
      if (!cfg.test().isEmpty()) {
        eval.put("test", SparkCorpus.streams(texts.open(cfg.test()), vocabBc, cfg.evalBatch(), partitions));
      }
      int windows = TokenStreams.windows(TokenStreams.lengthFor(train.tokens(), cfg.batch()), cfg.bptt());
      LanguageModelObjective objective =
          new LanguageModelObjective(model, cfg.bptt(), cfg.regularization(), cfg.seed());
      return new SparkBackend(sc, objective, windows, train, eval, cfg.treeDepth(), cfg.bf16Gradients(), vocabBc);
    } catch (RuntimeException | IOException e) {
      vocabBc.destroy();
      throw e;
    }
  }

  /**
   * P: spark.partitions, else local mode's threads or at least 2 on a cluster; refused where all-reduce cannot run
   * them all at once or where there are fewer examples (train.batch) than partitions.
   */
  private static int partitions(JavaSparkContext sc, TrainConfig cfg, int slots) {
    int partitions = plannedPartitions(sc, cfg, slots);
    if (cfg.allReduce() && partitions > slots) {
      throw new IllegalArgumentException("the all-reduce (spark.aggregation=allreduce, or auto on a cluster) runs all "
          + partitions + " partitions at once, but " + sc.master() + " has " + slots + " task slots" + (sc.isLocal()
          ? "; use local[" + partitions + "] or fewer spark.partitions" : " after waiting for executors; add"
          + " executors, lower spark.partitions or set spark.aggregation=driver"));
    }
    if (slots == 0) {
      LOG.warn("no executor has registered yet: the first step waits for one");
    } else if (partitions > slots) {
      LOG.warn("{} partitions on {} task slots: every step runs its tasks in {} waves", partitions, slots,
          (partitions + slots - 1) / slots);
    }
    if (cfg.batch() < partitions) {
      throw new IllegalArgumentException("train.batch=" + cfg.batch() + " (streams, or pairs per batch) cannot fill"
          + " spark.partitions=" + partitions + " partitions; raise train.batch or lower spark.partitions");
    }
    return partitions;
  }
}
