package io.sparkrnn.spark;

import io.sparkrnn.optim.Optimizer;
import io.sparkrnn.optim.OptimizerSpec;
import io.sparkrnn.train.GradAccumulator;
import io.sparkrnn.train.StepBackend;
import io.sparkrnn.train.Objective;
import io.sparkrnn.train.Shard;
import io.sparkrnn.train.Sync;
import io.sparkrnn.train.TrainConfig;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * spark.aggregation=allreduce: the parameters, the gradients and the optimizer state are cut into P contiguous
 * slices, one per partition, and the tasks exchange slices as blocks (see {@link SliceOwner}): reduce-scatter of
 * the gradient sums, clipping from the owners' partial sums of squares, the optimizer on each slice where it
 * lives, all-gather of the new parameters at the start of the next step. One barrier job runs spark.syncsPerJob
 * steps, so Spark's scheduling is paid once for them; the driver schedules and receives scalars only. It sends the parameters once at {@link #start} and
 * gathers the slices at {@link #gather} (checkpoints, evaluation).
 *
 * <p>The same arithmetic as {@link io.sparkrnn.train.DriverSync}: sums added in partition order, divided by the
 * step's total tokens, clipped by the global norm, the same optimizer rule; only the order in which the norm's
 * squares are added differs, and how many steps a job runs changes nothing. With spark.syncEvery=k each
 * synchronisation is a local-SGD round, the policy of
 * {@link LocalSgdSync} with the average taken slice by slice by the owners instead of on the driver. A step
 * that finds state missing (an executor was lost) throws {@link LostStep} after every task has stopped; the
 * driver loop then restarts from its last checkpoint.
 */
final class AllReduceSync implements Sync {
  private final SparkBackend backend;
  private final TrainConfig cfg;
  /** Names this generation's blocks: a new one after every {@link #start}, so stale blocks are never read. */
  private String gen;
  /** The step whose parameters the owners hold, counted from this generation's start. */
  private long step;
  /** Where each partition's blocks live in this generation (see {@link SliceStore}). */
  private String[] homes;
  /** Over all steps and tasks: requests between executors that returned no block, and their ns (SliceStore). */
  final long[] controlCalls = new long[2];
  /** Over all steps and tasks: what the gradient (or round) blocks carried to other owners. */
  SliceOwner.Traffic traffic = SliceOwner.Traffic.NONE;

  /** The objective's sparse row block: {offset, rows, cols} ({@link GradAccumulator#sparseBlock}). */
  private final int[] sparseBlock;
  /** Where the slices start ({@link SliceBounds}), the same for every generation of the run. */
  private final int[] bounds;

  AllReduceSync(SparkBackend backend, TrainConfig cfg) {
    this.backend = backend;
    this.cfg = cfg;
    this.sparseBlock = backend.objective().accumulator().sparseBlock();
    int[] streams = backend.streamsPerPartition();
    this.bounds = bounds(backend.partitions(), streams[streams.length / 2]);
  }

  /**
   * The slices of {@code parts} partitions of {@code examples} examples each: cut to equal expected traffic for
   * steps ({@link SliceBounds#balanced}), to equal lengths for local-SGD rounds, which send every value.
   */
  int[] bounds(int parts, int examples) {
    Objective<?> objective = backend.objective();
    if (cfg.syncEvery() > 1) {
      return SliceBounds.uniform(parts, objective.paramCount());
    }
    return SliceBounds.balanced(parts, objective.paramCount(), sparseBlock[0], sparseBlock[1], sparseBlock[2],
        objective.rowReadRates(examples));
  }

  /** The driver's parameters, optimizer state and carried state, sent once to the owners of the slices. */
  private record Start(BulkFloats params, BulkFloats[] state, long optimizerSteps, StepBackend.CarriedState carried)
      implements Serializable {}

  /** A barrier task's work on its partition. */
  @FunctionalInterface
  interface Body<T> extends Serializable {
    T run(int partition, SparkCorpus.Part part);
  }

  /**
   * spark.syncsPerJob synchronisations per job, each of one window, or with spark.syncEvery=k a local-SGD round of
   * k windows (see {@link SliceOwner}).
   */
  @Override
  public int windowsPerStep() {
    return cfg.syncEvery() * cfg.syncsPerJob();
  }

  @Override
  public boolean start(float[] params, Optimizer opt, StepBackend.CarriedState carried) {
    boolean sameSplit = carried == null || Arrays.equals(carried.shardStreams(), backend.streamsPerPartition());
    gen = backend.run() + "/" + UUID.randomUUID();
    step = 0;
    BulkFloats[] state = new BulkFloats[opt.state().length];
    for (int i = 0; i < state.length; i++) {
      state[i] = new BulkFloats(opt.state()[i]);
    }
    Broadcast<Start> bc = backend.sc().broadcast(new Start(new BulkFloats(params), state, opt.steps(),
        sameSplit ? carried : null));
    String run = backend.run();
    String gen = this.gen;
    int[] bounds = this.bounds;
    OptimizerSpec rule = cfg.optimizerSpec();
    Objective<?> objective = backend.objective();
    int stateSize = objective.stateSize();
    backend.sc().setJobDescription("spark-rnn all-reduce: parameter slices to their owners");
    List<String> where = barrier((p, part) -> {
      Start s = bc.value();
      float[][] st = new float[s.state().length][];
      for (int i = 0; i < st.length; i++) {
        st[i] = s.state()[i].values();
      }
      ExecutorStore.putOwner(run, p, SliceOwner.fromStart(gen, p, bounds, s.params().values(), st,
          s.optimizerSteps(), rule));
      Shard shard = ExecutorStore.shard(run, p, objective, part);
      StepBackend.CarriedState c = s.carried();
      if (c != null) {
        shard.restore(c.shard(p, stateSize), c.next());
      } else {
        shard.restore(new float[shard.state().length], 0);
      }
      SliceState.publishCarried(gen, 0, p, shard, SliceBlocks.buffer(8 + 4 * shard.state().length));
      return SliceStore.address(); // this task's blocks are here: the home of partition p for the generation
    }, String.class).collect();
    bc.destroy();
    homes = where.toArray(String[]::new);
    SliceStore.setHomes(gen, homes);
    return sameSplit;
  }

  @Override
  public StepStats step(long trainStep, float[] lr, double clip) {
    long t0 = System.nanoTime();
    SliceOwner.Job job = new SliceOwner.Job(gen, homes, bounds, step, trainStep, lr, clip, cfg.bf16Gradients(),
        cfg.syncEvery());
    String run = backend.run();
    Objective<?> objective = backend.objective();
    OptimizerSpec rule = cfg.optimizerSpec();
    List<SliceOwner.Report> reports;
    try {
      reports = barrier((p, part) -> {
        Shard shard = ExecutorStore.shard(run, p, objective, part);
        GradAccumulator acc = ExecutorStore.accumulator(run, p, objective);
        return SliceOwner.step(job, run, shard, acc, p, rule);
      }, SliceOwner.Report.class).collect();
    } catch (Exception e) { // SparkException, which Scala throws undeclared
      if (!(e instanceof org.apache.spark.SparkException)) {
        throw e;
      }
      // Spark does not retry a failed barrier result stage: a task lost with its executor fails the job.
      throw new LostStep("all-reduce step " + step + " failed: " + e.getMessage().lines().findFirst().orElse(""));
    }
    double wallMs = (System.nanoTime() - t0) / 1e6;
    for (SliceOwner.Report r : reports) {
      traffic = traffic.plus(r.traffic());
      for (int i = 0; i < controlCalls.length; i++) {
        controlCalls[i] += r.controlCalls()[i];
      }
      if (r.lost() != null) {
        throw new LostStep("all-reduce step " + step + " of partition " + r.partition() + ": " + r.lost());
      }
    }
    step += job.syncs();
    SliceOwner.Report first = reports.get(0);
    double exchange = reports.stream().mapToDouble(SliceOwner.Report::exchangeMs).max().orElse(0);
    double update = reports.stream().mapToDouble(SliceOwner.Report::updateMs).max().orElse(0);
    // compute: the slowest task's forward/backward; aggregate: the slice exchange plus Spark's scheduling.
    return new StepStats(first.loss(), first.tokens(), first.norm(), first.stateResets(), first.computeMs(), 0,
        Math.max(exchange, wallMs - first.computeMs() - update), update, 0);
  }

  /**
   * The median ms of a request from each task to another executor (the home of the next partition that lives
   * elsewhere; its own when all live in one JVM) for a block that does not exist, over {@code n} per task: a round
   * trip of a control message between executors, answered at once.
   */
  double probeRoundTripMs(int n) {
    String gen = this.gen;
    String[] homes = this.homes;
    int parts = backend.partitions();
    backend.sc().setJobDescription("spark-rnn all-reduce: round trips between executors");
    List<Double> medians = barrier((p, part) -> {
      SliceStore.setHomes(gen, homes);
      int other = (p + 1) % parts;
      while (other != p && homes[other].equals(homes[p])) {
        other = (other + 1) % parts;
      }
      double[] ms = new double[n];
      for (int i = 0; i < n; i++) {
        long t0 = System.nanoTime();
        SliceStore.get(gen, other, gen + "/probe");
        ms[i] = (System.nanoTime() - t0) / 1e6;
      }
      Arrays.sort(ms);
      return ms[n / 2];
    }, Double.class).collect();
    return medians.stream().mapToDouble(Double::doubleValue).sorted().toArray()[medians.size() / 2];
  }

  /** Reads every partition's parameter and optimizer blocks into the driver's arrays (a checkpoint's worth). */
  @Override
  public void gather(float[] params, Optimizer opt) {
    for (int p = 0; p + 1 < bounds.length; p++) {
      int from = bounds[p];
      int n = bounds[p + 1] - from;
      Optimizer slice = cfg.optimizerSpec().create(n);
      if (!SliceBlocks.read(SliceBlocks.params(gen, step, p), b -> SliceBlocks.getFloats(b, params, from, n, false,
          false)) || !SliceState.loadOptimizer(gen, step, p, slice)) {
        throw new LostStep("the slice of partition " + p + " is gone (its executor was lost)");
      }
      for (int i = 0; i < slice.state().length; i++) {
        System.arraycopy(slice.state()[i], 0, opt.state()[i], from, n);
      }
      opt.setSteps(slice.steps());
    }
  }

  @Override
  public StepBackend.CarriedState carriedState() {
    int parts = backend.partitions();
    List<float[]> states = new java.util.ArrayList<>();
    int next = 0;
    for (int p = 0; p < parts; p++) {
      Object[] c = SliceState.readCarried(gen, step, p);
      if (c == null) {
        throw new LostStep("the carried state of partition " + p + " is gone (its executor was lost)");
      }
      states.add((float[]) c[0]);
      next = (Integer) c[1];
    }
    float[] all = new float[states.stream().mapToInt(a -> a.length).sum()];
    int off = 0;
    for (float[] a : states) {
      System.arraycopy(a, 0, all, off, a.length);
      off += a.length;
    }
    return new StepBackend.CarriedState(backend.streamsPerPartition(), all, next);
  }

  /**
   * Runs {@code body} on every partition at once: a barrier stage, whose tasks start together or not at all, and
   * whose other tasks Spark kills when one fails (which ends their waits for its blocks).
   */
  private <T> JavaRDD<T> barrier(Body<T> body, Class<T> type) {
    ClassTag<T> tag = ClassTag$.MODULE$.apply(type);
    RDD<T> rdd = backend.trainParts().rdd().barrier().mapPartitionsWithIndex(
        (scala.Function2<Object, scala.collection.Iterator<SparkCorpus.Part>, scala.collection.Iterator<T>>
            & Serializable) (p, it) -> scala.jdk.javaapi.CollectionConverters.asScala(
                List.of(body.run((Integer) p, it.next())).iterator()),
        true, tag);
    return JavaRDD.fromRDD(rdd, tag);
  }
}
