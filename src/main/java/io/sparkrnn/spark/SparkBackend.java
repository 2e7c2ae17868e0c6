package io.sparkrnn.spark;

import io.sparkrnn.math.Blas;
import io.sparkrnn.train.GradAccumulator;
import io.sparkrnn.train.Objective;
import io.sparkrnn.train.Shard;
import io.sparkrnn.train.StepBackend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple3;

/**
 * Gradients from Spark executors, synchronous data parallelism. Each step:
 * <pre>
 * driver:  params ─broadcast─▶ executors ─mapPartitions(forward/backward of batch s on the cached partition,
 *                                         from the carried state kept in the executor)─▶ (grad, loss, n)
 *                                         ─blocks, or treeReduce when the tree has levels─▶
 *                                         driver: sum, divide, clip, optimizer step
 * </pre>
 * In local mode the parameters and the gradients are handed over in the JVM (see {@link StepParams} and
 * {@link GradientBlocks}). Closures capture only the broadcast, the {@link Objective} and plain values, never this
 * object or the context.
 */
public final class SparkBackend implements StepBackend {
  private static final Logger LOG = LoggerFactory.getLogger(SparkBackend.class);
  private final JavaSparkContext sc;
  private final Objective<?> objective;
  private final SparkCorpus.Split train;
  private final Map<String, SparkCorpus.Split> eval;
  private final int batches;
  private final int treeDepth;
  private final Broadcast<?> vocab;
  private final boolean bf16;
  private final String run = UUID.randomUUID().toString();
  private StepTiming timing = new StepTiming(0, 0, 0, 0);
  /** The step's gradient sum on the driver, reused from step to step. */
  private final GradAccumulator total;
  private long blockBytes;

  /** {@code objective} over the cached partitions of {@code train}, {@code batches} of them in one pass. */
  SparkBackend(JavaSparkContext sc, Objective<?> objective, int batches, SparkCorpus.Split train,
      Map<String, SparkCorpus.Split> eval, int treeDepth, boolean bf16, Broadcast<?> vocab) {
    this.sc = sc;
    this.objective = objective;
    this.batches = batches;
    this.train = train;
    this.eval = eval;
    this.treeDepth = treeDepth;
    this.vocab = vocab;
    this.bf16 = bf16;
    this.total = objective.accumulator();
    LOG.info("BLAS on the executors: {}", blasOnExecutors(train.parts()));
  }

  /** Each executor's BLAS backend, asked where the cached training partitions are (where the steps run). */
  private static String blasOnExecutors(JavaRDD<SparkCorpus.Part> parts) {
    return String.join("; ", new TreeSet<>(parts.mapPartitions(it -> List.of(SparkEnv.get().executorId() + ": "
        + Blas.backend()).iterator()).collect()));
  }

  JavaSparkContext sc() {
    return sc;
  }

  /** Names this run's executor-side state. */
  String run() {
    return run;
  }

  Objective<?> objective() {
    return objective;
  }

  int[] streamsPerPartition() {
    return train.streamsPerPartition().clone();
  }

  JavaRDD<SparkCorpus.Part> trainParts() {
    return train.parts();
  }

  @Override
  public int batches() {
    return batches;
  }

  @Override
  public int examples() {
    return Arrays.stream(train.streamsPerPartition()).sum();
  }

  @Override
  public int partitions() {
    return train.streamsPerPartition().length;
  }

  @Override
  public void describe(String step) {
    sc.setJobDescription("spark-rnn " + step);
  }

  @Override
  public GradAccumulator gradients(float[] params, long step) {
    long t0 = System.nanoTime();
    StepParams shared = StepParams.of(sc, params);
    long t1 = System.nanoTime();
    String run = this.run;
    Objective<?> objective = this.objective;
    boolean bf16 = this.bf16;
    GradAccumulator acc = sumOverPartitions((p, part) -> {
      Shard shard = ExecutorStore.shard(run, p, objective, part);
      GradAccumulator a = ExecutorStore.accumulator(run, p, objective).bf16(bf16);
      float[] stepParams = shared.get(); // on a cluster, fetching the broadcast is exchange, not compute
      long c0 = System.nanoTime();
      if (!shard.run(stepParams, step, a)) {
        a.stateResets = 1;
        LoggerFactory.getLogger(SparkBackend.class).warn(
            "partition {} has no carried state for step {} here (task moved after a failure); starting from zero",
            p, step + 1);
      }
      a.computeMs = (System.nanoTime() - c0) / 1e6;
      return a;
    }, total);
    long t2 = System.nanoTime();
    shared.release();
    double broadcastMs = (t1 - t0) / 1e6;
    timing = new StepTiming(acc.computeMs, broadcastMs, Math.max(0, (t2 - t1) / 1e6 - acc.computeMs), blockBytes);
    return acc;
  }

  /** Bytes of the blocks the last {@link #sumOverPartitions} read. */
  long lastBlockBytes() {
    return blockBytes;
  }

  /** A task's contribution to a sum over the partitions: its accumulator, filled (kept by the executor). */
  @FunctionalInterface
  interface PartitionSum extends java.io.Serializable {
    GradAccumulator run(int partition, SparkCorpus.Part part);
  }

  /**
   * Runs {@code body} on every training partition and adds the accumulators into {@code total} on the driver:
   * as blocks read in partition order (a block lost with its executor after its task had finished is computed
   * again, by the lost partitions only), or by treeReduce of task results when one level cannot gather them all.
   */
  GradAccumulator sumOverPartitions(PartitionSum body, GradAccumulator total) {
    blockBytes = 0;
    String run = this.run;
    if (treeHasLevels(partitions(), treeDepth)) {
      return train.parts().mapPartitionsWithIndex((p, it) -> List.of(GradientBlocks.inline(p, body.run(p,
          it.next()))).iterator(), true).map(GradientBlocks.Shipped::inline).treeReduce(GradAccumulator::merge,
          treeDepth);
    }
    Set<Integer> only = null;
    for (int attempt = 0; ; attempt++) {
      Set<Integer> these = only;
      List<GradientBlocks.Shipped> shipped = train.parts().mapPartitionsWithIndex((p, it) -> these != null
          && !these.contains(p) ? java.util.Collections.<GradientBlocks.Shipped>emptyIterator()
          : List.of(GradientBlocks.ship(run, p, body.run(p, it.next()))).iterator(), true).collect();
      List<Integer> lost = GradientBlocks.addAll(shipped, total, attempt == 0);
      blockBytes += shipped.stream().mapToLong(GradientBlocks.Shipped::bytes).sum();
      if (lost.isEmpty()) {
        return total;
      }
      if (attempt == 3) {
        throw new IllegalStateException("the sums of partitions " + lost + " were lost 4 times in a row");
      }
      LOG.warn("the sums of partitions {} were lost with their executor; computing them again", lost);
      only = Set.copyOf(lost);
    }
  }

  /**
   * Whether Spark's tree aggregation of P partial results at this depth has a level below the driver
   * (the condition of RDD.treeAggregate). Without one it is a plain reduce with extra work per job, so a
   * plain reduce is used: measured here, an empty job took about 15 ms with reduce and 25 ms with treeReduce.
   */
  static boolean treeHasLevels(int partitions, int depth) {
    if (depth < 2) {
      return false;
    }
    int scale = Math.max((int) Math.ceil(Math.pow(partitions, 1.0 / depth)), 2);
    return partitions > scale + Math.ceil((double) partitions / scale);
  }

  @Override
  public Evaluation evaluate(float[] params, String split) {
    SparkCorpus.Split s = eval.get(split);
    if (s == null) {
      throw new IllegalArgumentException("no " + split + " split was loaded");
    }
    sc.setJobDescription("spark-rnn evaluate " + split);
    return evaluate(sc, objective, s, params);
  }

  /** Summed loss and count of a whole pass over a split's cached partitions, state carried through it. */
  static Evaluation evaluate(JavaSparkContext sc, Objective<?> objective, SparkCorpus.Split split, float[] params) {
    StepParams shared = StepParams.of(sc, params);
    GradAccumulator acc = split.parts().mapPartitions(it -> {
      SparkCorpus.Part part = it.next();
      GradAccumulator a = new GradAccumulator(0);
      if (part.data() != null) {
        part.shard(objective).evaluate(shared.get(), a);
      }
      return List.of(a).iterator();
    }, true).reduce(GradAccumulator::merge);
    shared.release();
    return new Evaluation(acc.loss, acc.tokens);
  }

  @Override
  public CarriedState carriedState() {
    String run = this.run;
    Objective<?> objective = this.objective;
    List<Tuple3<Integer, float[], Integer>> states = train.parts().mapPartitionsWithIndex((p, it) -> {
      Shard shard = ExecutorStore.shard(run, p, objective, it.next());
      return List.of(new Tuple3<>(p, shard.state().clone(), shard.nextBatch())).iterator();
    }, true).collect();
    List<float[]> ordered = new ArrayList<>();
    int next = 0;
    for (Tuple3<Integer, float[], Integer> t : states) {
      ordered.add(t._2());
      next = t._3();
    }
    float[] all = new float[ordered.stream().mapToInt(a -> a.length).sum()];
    int off = 0;
    for (float[] a : ordered) {
      System.arraycopy(a, 0, all, off, a.length);
      off += a.length;
    }
    return new CarriedState(train.streamsPerPartition().clone(), all, next);
  }

  @Override
  public boolean restoreState(CarriedState saved) {
    if (!Arrays.equals(saved.shardStreams(), train.streamsPerPartition())) {
      return false;
    }
    Broadcast<CarriedState> bc = sc.broadcast(saved);
    String run = this.run;
    Objective<?> objective = this.objective;
    int stateSize = objective.stateSize();
    train.parts().mapPartitionsWithIndex((p, it) -> {
      CarriedState c = bc.value();
      Shard shard = ExecutorStore.shard(run, p, objective, it.next());
      shard.restore(c.shard(p, stateSize), c.next());
      return List.of(p).iterator();
    }, true).count();
    bc.destroy();
    return true;
  }

  @Override
  public StepTiming lastTiming() {
    return timing;
  }

  @Override
  public void close() {
    String run = this.run;
    try {
      train.parts().foreachPartition(it -> ExecutorStore.removeRun(run));
    } catch (RuntimeException e) {
      LOG.debug("cleanup of executor state failed", e);
    }
    ExecutorStore.removeRun(run);
    train.parts().unpersist(false);
    eval.values().forEach(s -> s.parts().unpersist(false));
    if (vocab != null) {
      vocab.destroy();
    }
  }
}
