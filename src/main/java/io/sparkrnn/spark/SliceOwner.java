package io.sparkrnn.spark;

import io.sparkrnn.math.Kernels;
import io.sparkrnn.optim.GradClip;
import io.sparkrnn.optim.Optimizer;
import io.sparkrnn.optim.OptimizerSpec;
import io.sparkrnn.train.GradAccumulator;
import io.sparkrnn.train.Shard;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Executor side of the all-reduce: partition p of P owns slice p of the flat parameter vector, [p·N/P,
 * (p+1)·N/P), with the optimizer state of that slice. One step of its task, with every task of the step
 * running at once (a barrier stage; a job runs several steps in turn):
 * <pre>
 * all-gather   read the P-1 other parameter slices of step v (blocks) into this partition's full copy; of the
 *              embedding table only the rows the window looks up (the others stay stale in the copy, unread)
 * compute      forward/backward of the window from the carried state: the gradient sum over all N values
 * publish      slice j of that sum as a block for the owner of j (j ≠ p): the parts that can be non-zero, the
 *              output layer's as soon as the backward pass is past it; then (ok, loss, tokens) as a counts block
 * reduce       owner p waits for slice p of every task and adds them in partition order; the counts give
 *              the step's loss and tokens; divide by the tokens
 * norm         publish the slice's sum of squares, wait for the others': the global norm, for clipping
 * update       clip and the optimizer on slice p; publish it as the block of step v+1
 * </pre>
 * With spark.syncEvery=k a job is a local-SGD round instead (the policy of {@link LocalSgdSync}): the all-gather
 * brings the optimizer moments too, the task trains k windows on its own copy with its own optimizer, and the
 * reduce-scatter sums the tokens-weighted copies and moments, which owner p divides by the round's tokens; the
 * exchanged scalar is then the sum of the task's local gradient norms.
 *
 * <p>Tasks wait for each other's blocks (they run at once, so the blocks are on their way) instead of calling
 * Spark's BarrierTaskContext.allGather, which waits in steps of one second. The blocks live in
 * {@link SliceStore}, partition q's at q's home (where q's task ran in the generation's first job), which the job
 * names. The driver only schedules the job and receives each task's scalars ({@link Report}). A task that finds
 * its slice or a parameter block missing (lost with an executor) says so in its counts; every task then stops
 * before changing anything more and the driver restarts from its last checkpoint.
 */
final class SliceOwner {
  /**
   * The driver's description of one job, the same for every task: the synchronisations of steps {@code step},
   * {@code step + 1}, ..., each over {@code windows} of the windows whose learning rates {@code lr} gives (a
   * local-SGD round when {@code windows} > 1; the last one may be shorter, cut at an epoch's end).
   */
  record Job(String gen, String[] homes, int[] bounds, long step, long trainStep, float[] lr, double clip,
      boolean bf16, int windows) implements Serializable {
    boolean round() {
      return windows > 1;
    }

    int syncs() {
      return (lr.length + windows - 1) / windows;
    }

    /** Synchronisation s of this job as a job of its own. */
    Job sync(int s) {
      int a = s * windows;
      return new Job(gen, homes, bounds, step + s, trainStep + a, java.util.Arrays.copyOfRange(lr, a,
          Math.min(lr.length, a + windows)), clip, bf16, windows);
    }
  }

  /**
   * What a task sends back: scalars only, summed over the job's synchronisations (the norm is the last one's, NaN
   * when one was not finite). {@code lost} names what was missing.
   */
  record Report(int partition, double loss, long tokens, double norm, int stateResets, double computeMs,
      double exchangeMs, double updateMs, String lost, long[] controlCalls, Traffic traffic)
      implements Serializable {
    /** This report followed by {@code next}'s synchronisation. */
    Report then(Report next) {
      double n = Double.isFinite(norm) ? next.norm : norm;
      return new Report(partition, loss + next.loss, tokens + next.tokens, n, stateResets + next.stateResets,
          computeMs + next.computeMs, exchangeMs + next.exchangeMs, updateMs + next.updateMs, next.lost,
          controlCalls, traffic.plus(next.traffic));
    }
  }

  /**
   * What a task's gradient blocks carried for the other owners: all bytes, those sent before its backward pass
   * ended, and the ms of the pass after they went (the time they had to travel while it ran); and the bytes of
   * parameter slices it read from the other owners.
   */
  record Traffic(long bytes, long earlyBytes, double afterReadyMs, long paramBytes) implements Serializable {
    static final Traffic NONE = new Traffic(0, 0, 0, 0);

    Traffic plus(Traffic o) {
      return new Traffic(bytes + o.bytes, earlyBytes + o.earlyBytes, afterReadyMs + o.afterReadyMs,
          paramBytes + o.paramBytes);
    }
  }

  /** A counts block: ok flag, loss, tokens, state resets, compute ms. */
  private static final int HEADER = 4 + 8 + 8 + 4 + 8;
  private final ByteBuffer countsOut = SliceBlocks.buffer(HEADER);
  /** Per slice j: whether its gradient block of the current step went out early ({@link #publishReady}). */
  private final boolean[] sentEarly;

  final String gen;
  final int partition;
  final int parts;
  /** Where the slices start ({@link SliceBounds}): slice j is [bounds[j], bounds[j + 1]). */
  private final int[] bounds;
  final int from;
  final int to;
  /** The step whose parameters {@link #own} holds; -1 while an update is half done. */
  long step;
  private final float[] params; // (N) this partition's copy of all parameters of the current step
  private final float[] own; // (to - from) slice p: the authoritative values
  private final float[] grad; // (to - from) the reduced gradient of slice p
  private final Optimizer opt;
  private final ByteBuffer[] out; // per slice j: the buffer of the block sent to its owner (own slice: the params)
  private final ByteBuffer normOut;
  private final ByteBuffer optOut;
  private ByteBuffer carriedOut;
  /** The requests for the next step's parameter slices, when the job goes on (asked during this step). */
  private SliceBlocks.Pending nextParams;
  // Local-SGD rounds only, made at the first round: the task's own optimizer over all N values, the sums of
  // slice p (parameters then each moment, (1+M)·(to - from)), and the blocks sent to the other owners.
  private Optimizer local;
  private float[] averaged;
  private ByteBuffer[] roundOut;

  /** Takes {@code own} (slice p's values) and {@code opt} (its state); publishes both as the blocks of {@code step}. */
  private SliceOwner(String gen, int partition, int[] bounds, float[] own, Optimizer opt, long step) {
    this.gen = gen;
    this.partition = partition;
    this.parts = bounds.length - 1;
    this.bounds = bounds;
    this.from = bounds[partition];
    this.to = bounds[partition + 1];
    this.params = new float[bounds[parts]];
    this.own = own;
    this.grad = new float[to - from];
    this.opt = opt;
    this.step = step;
    this.out = new ByteBuffer[parts];
    this.sentEarly = new boolean[parts];
    for (int j = 0; j < parts; j++) {
      int n = bounds[j + 1] - bounds[j];
      out[j] = SliceBlocks.buffer(j == partition ? SliceBlocks.bytes(n, false) : 4); // grown when used
    }
    this.normOut = SliceBlocks.buffer(12);
    this.optOut = SliceBlocks.buffer(SliceState.optimizerBytes(opt));
    publishParams(step);
    SliceState.publishOptimizer(gen, step, partition, opt, optOut);
  }

  /** Slice p of the driver's parameters and optimizer state at the start of a generation (step 0). */
  static SliceOwner fromStart(String gen, int partition, int[] bounds, float[] all, float[][] state,
      long optimizerSteps, OptimizerSpec rule) {
    int from = bounds[partition];
    int to = bounds[partition + 1];
    Optimizer opt = rule.create(to - from);
    for (int i = 0; i < state.length; i++) {
      System.arraycopy(state[i], from, opt.state()[i], 0, to - from);
    }
    opt.setSteps(optimizerSteps);
    return new SliceOwner(gen, partition, bounds, java.util.Arrays.copyOfRange(all, from, to), opt, 0);
  }

  /** Slice p as the blocks of {@code step} hold it, wherever they are; null when they are gone. */
  static SliceOwner fromBlocks(String gen, int partition, int[] bounds, long step, OptimizerSpec rule) {
    int from = bounds[partition];
    int to = bounds[partition + 1];
    float[] own = new float[to - from];
    Optimizer opt = rule.create(to - from);
    if (!SliceBlocks.read(SliceBlocks.params(gen, step, partition), b -> SliceBlocks.getFloats(b, own, 0,
        own.length, false, false)) || !SliceState.loadOptimizer(gen, step, partition, opt)) {
      return null;
    }
    return new SliceOwner(gen, partition, bounds, own, opt, step);
  }

  /** Removes the blocks this owner published last (a new generation or the end of the run). */
  void dropBlocks() {
    SliceBlocks.remove(SliceBlocks.params(gen, step, partition));
    SliceState.remove(gen, step, partition);
    SliceBlocks.remove(SliceBlocks.norm(gen, step - 1, partition));
    for (int j = 0; j < parts; j++) {
      SliceBlocks.remove(SliceBlocks.gradient(gen, step, partition, j)); // left by a step that was lost
    }
    SliceBlocks.remove(SliceBlocks.counts(gen, step, partition));
  }

  /** Sums over the tasks of a step, added in partition order so that every owner gets the same values. */
  private static final class Totals {
    boolean ok = true;
    double loss;
    long tokens;
    int resets;
    double slowestMs;
  }

  /**
   * One all-reduce job of partition p's task: its synchronisations one after the other (see the class comment).
   * The partition's slice and carried state come from this executor's objects when the last job of this
   * generation ran here, else from their blocks; when those are gone too (lost with an executor) the task still
   * publishes its counts, so that the others do not wait for it.
   */
  static Report step(Job job, String run, Shard shard, GradAccumulator acc, int partition, OptimizerSpec rule) {
    SliceStore.setHomes(job.gen(), job.homes());
    SliceStore.controlCalls(); // counted from here
    SliceOwner owner = ExecutorStore.owner(run, partition);
    if (owner == null || !owner.gen.equals(job.gen()) || owner.step != job.step()) {
      owner = fromBlocks(job.gen(), partition, job.bounds(), job.step(), rule);
      if (owner != null && !SliceState.loadCarried(job.gen(), job.step(), partition, shard)) {
        owner = null;
      }
      if (owner != null) {
        ExecutorStore.putOwner(run, partition, owner);
      }
    }
    // A second attempt of the stage follows a failed task: some slices may have moved on, and its blocks may be
    // half published, so it goes back to the checkpoint rather than guess.
    int attempt = org.apache.spark.TaskContext.get().stageAttemptNumber();
    String lost = owner == null ? "the blocks of slice " + partition + " are gone"
        : attempt > 0 ? "attempt " + attempt + " of the step after a failed task" : null;
    Report total = new Report(partition, 0, 0, 0, 0, 0, 0, 0, lost, null, Traffic.NONE);
    if (owner == null) {
      publishLost(job, partition, job.bounds().length - 1);
    } else { // the first synchronisation runs even when lost is set: it tells the other tasks, which then stop too
      total = total.then(owner.sync(job.sync(0), shard, acc, rule, false, lost, job.syncs() > 1));
      for (int s = 1; s < job.syncs() && total.lost() == null; s++) {
        total = total.then(owner.sync(job.sync(s), shard, acc, rule, true, null, s + 1 < job.syncs()));
      }
    }
    return new Report(partition, total.loss(), total.tokens(), total.norm(), total.stateResets(), total.computeMs(),
        total.exchangeMs(), total.updateMs(), total.lost(), SliceStore.controlCalls(), total.traffic());
  }

  /**
   * One synchronisation: the all-gather (waiting for the other owners' blocks when they are being published, in
   * every synchronisation of a job but its first), compute, reduce-scatter, norms and the update. With
   * {@code lost} set, or when something turns out missing, it only publishes its counts and exchanges norms so
   * that no one waits for it, and reports what was missing.
   */
  private Report sync(Job job, Shard shard, GradAccumulator acc, OptimizerSpec rule, boolean wait, String lost,
      boolean more) {
    long t0 = System.nanoTime();
    acc.reset();
    java.util.Arrays.fill(sentEarly, false);
    long gathered = lost == null ? gatherParams(job, shard, acc, wait) : 0;
    if (gathered < 0) {
      lost = "a parameter block of step " + job.step() + " is gone";
    }
    if (lost == null && job.round() && !gatherMoments(job, rule, wait)) {
      lost = "an optimizer block of step " + job.step() + " is gone";
    }
    // Asked before the compute: their homes hold the requests and answer each as its block is published, so no
    // request waits for this task's window to end before it goes out.
    SliceBlocks.Pending gradients = ask(q -> SliceBlocks.gradient(gen, job.step(), q, partition), true);
    SliceBlocks.Pending counts = ask(q -> SliceBlocks.counts(gen, job.step(), q), true);
    SliceBlocks.Pending norms = ask(q -> SliceBlocks.norm(gen, job.step(), q), true);
    Compute c = lost == null ? compute(job, shard, acc) : new Compute(0, 0, 0, 0, 0);
    // A round that lost its state sends empty blocks, as a step does.
    long sent = job.round() && lost == null ? publishRound(job, acc) : publishGradient(job, acc, lost == null);
    sent += publishCounts(job, lost == null, acc, c.resets(), c.ms());
    Traffic traffic = new Traffic(sent + c.earlyBytes(), c.earlyBytes(), c.afterEarlyMs(), Math.max(0, gathered));
    Totals totals = reduce(job, acc, gradients, counts);
    totals.slowestMs = Math.max(totals.slowestMs, c.ms());
    totals.resets += c.resets();
    if (lost == null && !totals.ok) {
      lost = "another partition lost its state";
    }
    double sumSquares = lost != null || job.round() ? c.localNorms()
        : Kernels.scaleSumSquares(grad, 0, grad.length, totals.tokens > 0 ? 1f / totals.tokens : 0f);
    double[] norm2 = {0};
    boolean allOk = exchangeNorms(job, lost == null, sumSquares, norms, norm2);
    for (int j = 0; j < parts; j++) {
      if (j != partition) { // every owner has read its slice: it published its norm after that
        SliceBlocks.remove(SliceBlocks.gradient(gen, job.step(), partition, j));
      }
    }
    SliceBlocks.remove(SliceBlocks.counts(gen, job.step(), partition));
    // A round reports the mean of the local norms, as LocalSgdSync does.
    double norm = job.round() ? norm2[0] / ((double) parts * job.lr().length) : Math.sqrt(norm2[0]);
    long t2 = System.nanoTime();
    if (lost == null && !allOk) {
      lost = "another partition lost its state";
    }
    if (lost != null) {
      return new Report(partition, totals.loss, totals.tokens, norm, totals.resets, totals.slowestMs, 0, 0, lost,
          null, traffic);
    }
    if (more) { // the next step's parameter slices, asked before this update: each comes as its owner publishes it
      nextParams = askParams(job.step() + 1, job.round() ? -1 : job.trainStep() + job.windows(), shard, acc, true);
    }
    if (job.round()) {
      average(job, totals.tokens);
    } else {
      update(job, totals.loss, norm);
    }
    long t3 = System.nanoTime();
    return new Report(partition, totals.loss, totals.tokens, norm, totals.resets, totals.slowestMs,
        (t2 - t0) / 1e6 - c.ms(), (t3 - t2) / 1e6, null, null, traffic);
  }

  /**
   * What a task's compute gave: its ms, state resets, the sum of its local gradient norms (a round), the gradient
   * bytes it sent before its backward pass ended and the ms of the pass after they went.
   */
  private record Compute(double ms, int resets, double localNorms, long earlyBytes, double afterEarlyMs) {}

  /**
   * The window (or a round's windows) on this task's copy; in a step, the output layer's gradient slices go to
   * their owners as soon as the model says they are complete. Publishes the carried state after it.
   */
  private Compute compute(Job job, Shard shard, GradAccumulator acc) {
    long c0 = System.nanoTime();
    if (job.round()) {
      double norms = train(job, shard, acc);
      publishCarried(job, shard);
      return new Compute((System.nanoTime() - c0) / 1e6, acc.stateResets, norms, 0, 0);
    }
    long[] early = {0, 0}; // bytes, and when they went
    acc.ready = (a, b) -> {
      early[0] += publishReady(job, acc, a, b);
      early[1] = System.nanoTime();
    };
    int resets;
    try {
      resets = shard.run(params, job.trainStep(), acc) ? 0 : 1;
    } finally {
      acc.ready = null;
    }
    long c1 = System.nanoTime();
    publishCarried(job, shard);
    return new Compute((c1 - c0) / 1e6, resets, 0, early[0], early[1] == 0 ? 0 : (c1 - early[1]) / 1e6);
  }

  /**
   * All-gather: the other slices of this step's parameters into the full copy, all requested at once; with
   * {@code wait} held by their homes until published, else missing when not there now. Returns the bytes read, or
   * -1 when a slice is missing.
   */
  private long gatherParams(Job job, Shard shard, GradAccumulator acc, boolean wait) {
    System.arraycopy(own, 0, params, from, own.length);
    SliceBlocks.Pending asked = nextParams != null ? nextParams
        : askParams(job.step(), job.round() ? -1 : job.trainStep(), shard, acc, wait);
    nextParams = null;
    ByteBuffer[] blocks = collect(asked, wait);
    if (blocks == null) {
      return -1;
    }
    long bytes = 0;
    for (int j = 0, k = 0; j < parts; j++) {
      int a = bounds[j];
      if (j != partition) {
        int[] runs = asked.ids().get(k++).runs();
        if (runs == null) {
          bytes += blocks[j].remaining();
          SliceBlocks.getFloats(blocks[j], params, a, bounds[j + 1] - a, false, false);
        } else {
          bytes += SliceBlocks.getParts(blocks[j], params, a, runs);
        }
      }
    }
    return bytes;
  }

  /**
   * The requests for the other slices of the parameters of step {@code version}, to run training step
   * {@code trainStep} on (-1: a round, which may read anything): of the embedding rows, only those its window reads
   * ({@link Shard#rowsRead}). The rows it does not read keep older values in this task's copy, which nothing reads
   * before a later gather brings them.
   */
  private SliceBlocks.Pending askParams(long version, long trainStep, Shard shard, GradAccumulator acc,
      boolean wait) {
    int[] rows = trainStep < 0 ? null : shard.rowsRead(trainStep);
    return ask(j -> {
      SliceBlocks.Block whole = SliceBlocks.params(gen, version, j);
      int a = bounds[j];
      int b = bounds[j + 1];
      int[] runs = rows == null ? null : acc.runs(a, b, rows);
      if (runs == null || runs.length == 2 && runs[1] == b - a) {
        return whole;
      }
      for (int i = 0; i < runs.length; i += 2) {
        runs[i] -= a;
      }
      return whole.only(runs);
    }, wait);
  }

  /**
   * The blocks {@code of(j)} of every partition j but this one, requested at once, at index j (null at this
   * partition's): with {@code wait} once they all exist, else null when one is missing.
   */
  private ByteBuffer[] fromOthers(java.util.function.IntFunction<SliceBlocks.Block> of, boolean wait) {
    return collect(ask(of, wait), wait);
  }

  /** The requests of {@link #fromOthers}, sent; {@link #collect} takes their replies. */
  private SliceBlocks.Pending ask(java.util.function.IntFunction<SliceBlocks.Block> of, boolean wait) {
    List<SliceBlocks.Block> ids = new ArrayList<>();
    for (int j = 0; j < parts; j++) {
      if (j != partition) {
        ids.add(of.apply(j));
      }
    }
    return SliceBlocks.request(ids, wait);
  }

  /** The replies of {@link #ask}, as {@link #fromOthers} returns them. */
  private ByteBuffer[] collect(SliceBlocks.Pending pending, boolean wait) {
    ByteBuffer[] got = wait ? pending.await() : pending.read();
    if (got == null) {
      return null;
    }
    ByteBuffer[] byPartition = new ByteBuffer[parts];
    for (int j = 0, k = 0; j < parts; j++) {
      if (j != partition) {
        byPartition[j] = got[k++];
      }
    }
    return byPartition;
  }

  /**
   * Slice j of the gradient sum for the owner of j, for every slice not sent early ({@link #publishReady}); no
   * values when not ok. Returns the bytes.
   */
  private long publishGradient(Job job, GradAccumulator acc, boolean ok) {
    int[] rows = ok ? acc.nonZeroRows() : null; // of the embedding table: the others are zero in this window
    long sent = 0;
    for (int j = 0; j < parts; j++) {
      if (j != partition && !sentEarly[j]) {
        sent += publishSlice(job, acc, j, ok ? acc.runs(bounds[j], bounds[j + 1], rows) : new int[0]);
      }
    }
    return sent;
  }

  /**
   * The model's word that gradient [a, b) is complete (the output layer's, before the recurrent backward pass):
   * the slices inside it go to their owners now, whose requests wait at this home, so they travel while the pass
   * goes on. Returns the bytes.
   */
  private long publishReady(Job job, GradAccumulator acc, int a, int b) {
    long sent = 0;
    for (int j = 0; j < parts; j++) {
      int sliceFrom = bounds[j];
      int sliceTo = bounds[j + 1];
      if (j != partition && sliceFrom >= a && sliceTo <= b && !acc.touchesSparseRows(sliceFrom, sliceTo)) {
        sent += publishSlice(job, acc, j, acc.runs(sliceFrom, sliceTo, new int[0]));
        sentEarly[j] = true;
      }
    }
    return sent;
  }

  /** The parts {@code runs} of slice j of the gradient sum as the block for the owner of j; returns the bytes. */
  private long publishSlice(Job job, GradAccumulator acc, int j, int[] runs) {
    int bytes = SliceBlocks.runBytes(runs, job.bf16());
    if (out[j].capacity() < bytes) {
      out[j] = SliceBlocks.buffer(bytes);
    }
    ByteBuffer buf = out[j].clear();
    SliceBlocks.putRuns(buf, acc.grad, bounds[j], runs, job.bf16());
    SliceBlocks.put(SliceBlocks.gradient(gen, job.step(), partition, j), buf);
    return bytes;
  }

  /** This task's counts of the step, which every owner reads; returns the bytes they will read. */
  private long publishCounts(Job job, boolean ok, GradAccumulator acc, int resets, double computeMs) {
    SliceBlocks.put(SliceBlocks.counts(gen, job.step(), partition), putHeader(countsOut.clear(), ok, acc.loss,
        acc.tokens, resets, computeMs));
    return (long) HEADER * (parts - 1);
  }

  /** Writes a counts block (see {@link #HEADER}); returns {@code buf}. */
  private static ByteBuffer putHeader(ByteBuffer buf, boolean ok, double loss, long tokens, int resets,
      double computeMs) {
    return buf.putInt(ok ? 1 : 0).putDouble(loss).putLong(tokens).putInt(resets).putDouble(computeMs);
  }

  /** What a task without a slice publishes: "not ok" counts and empty blocks, so no one waits for it. */
  private static void publishLost(Job job, int partition, int parts) {
    ByteBuffer empty = SliceBlocks.buffer(4).putInt(0);
    ByteBuffer norm = SliceBlocks.buffer(12);
    norm.putInt(0).putDouble(0);
    for (int j = 0; j < parts; j++) {
      if (j != partition) {
        SliceBlocks.put(SliceBlocks.gradient(job.gen(), job.step(), partition, j), empty);
      }
    }
    SliceBlocks.put(SliceBlocks.counts(job.gen(), job.step(), partition),
        putHeader(SliceBlocks.buffer(HEADER), false, 0, 0, 0, 0));
    SliceBlocks.put(SliceBlocks.norm(job.gen(), job.step(), partition), norm);
  }

  /**
   * Reduce-scatter: waits for slice p of every task's gradient ({@code asked}) and adds them in partition order
   * (this task's own included); sums the tasks' counts ({@code askedCounts}). Once every task's block is here, every task has read this slice's
   * parameters, so their block goes.
   */
  private Totals reduce(Job job, GradAccumulator local, SliceBlocks.Pending asked, SliceBlocks.Pending askedCounts) {
    Totals t = new Totals();
    float[] sum = job.round() ? averaged : grad;
    if (sum != null) {
      java.util.Arrays.fill(sum, 0f);
    }
    // Every task's block requested at once; added in partition order (this task's own in its place), so the sum
    // is the same float for float however the blocks arrive.
    ByteBuffer[] blocks = collect(asked, true);
    ByteBuffer[] counts = collect(askedCounts, true);
    for (int q = 0; q < parts; q++) {
      if (q == partition) {
        if (job.round()) {
          if (averaged != null) { // null when this task lost its state before its first round
            addOwnRound(local.tokens);
          }
        } else {
          for (int i = 0; i < grad.length; i++) {
            grad[i] += local.grad[from + i];
          }
        }
        t.loss += local.loss;
        t.tokens += local.tokens;
        continue;
      }
      ByteBuffer c = counts[q];
      boolean ok = c.getInt() == 1;
      t.ok &= ok;
      t.loss += c.getDouble();
      t.tokens += c.getLong();
      t.resets += c.getInt();
      t.slowestMs = Math.max(t.slowestMs, c.getDouble());
      ByteBuffer b = blocks[q];
      if (ok && t.ok && sum != null) {
        if (job.round()) {
          SliceBlocks.getFloats(b, sum, 0, sum.length, false, true);
        } else {
          SliceBlocks.addRuns(b, sum, job.bf16());
        }
      }
    }
    SliceBlocks.remove(SliceBlocks.params(gen, job.step(), partition));
    SliceBlocks.remove(SliceBlocks.norm(gen, job.step() - 1, partition));
    return t;
  }

  /**
   * Publishes this slice's sum of squares, waits for every other owner's ({@code asked}), and puts the total (added
   * in partition order) into norm2[0]; returns false when some owner was not ok.
   */
  private boolean exchangeNorms(Job job, boolean ok, double sumSquares, SliceBlocks.Pending asked, double[] norm2) {
    normOut.clear().putInt(ok ? 1 : 0).putDouble(sumSquares);
    SliceBlocks.put(SliceBlocks.norm(gen, job.step(), partition), normOut);
    ByteBuffer[] blocks = collect(asked, true);
    boolean all = ok;
    for (int q = 0; q < parts; q++) { // added in partition order, as the sums are
      if (q == partition) {
        norm2[0] += sumSquares;
      } else {
        all &= blocks[q].getInt() == 1;
        norm2[0] += blocks[q].getDouble();
      }
    }
    return all;
  }

  private void publishParams(long version) {
    ByteBuffer buf = out[partition].clear();
    SliceBlocks.putFloats(buf, own, 0, own.length, false);
    SliceBlocks.put(SliceBlocks.params(gen, version, partition), buf);
  }

  /** Clip and update slice p (skipped, as on the driver, when the loss or the norm is not finite); publish it. */
  private void update(Job job, double loss, double norm) {
    step = -1;
    if (Double.isFinite(loss) && Double.isFinite(norm)) {
      float f = GradClip.factor(norm, job.clip());
      if (f != 1f) {
        Kernels.scale(grad, 0, grad.length, f);
      }
      opt.step(own, grad, job.lr()[0]);
    }
    publishNext(job);
  }

  /** Slice p's parameters and optimizer state as the blocks of the next step. */
  private void publishNext(Job job) {
    publishParams(job.step() + 1);
    SliceBlocks.remove(SliceState.optimizer(gen, job.step(), partition)); // its buffer holds the next one
    SliceState.publishOptimizer(gen, job.step() + 1, partition, opt, optOut);
    step = job.step() + 1;
  }

  /** Round: the other slices' optimizer moments of this step into the task's own optimizer over all N values. */
  private boolean gatherMoments(Job job, OptimizerSpec rule, boolean wait) {
    if (local == null) {
      local = rule.create(params.length);
      averaged = new float[(1 + local.state().length) * own.length];
      roundOut = new ByteBuffer[parts];
      for (int j = 0; j < parts; j++) {
        int n = bounds[j + 1] - bounds[j];
        roundOut[j] = j == partition ? null : SliceBlocks.buffer((1 + local.state().length) * 4 * n);
      }
    }
    float[][] moments = local.state();
    for (int m = 0; m < moments.length; m++) {
      System.arraycopy(opt.state()[m], 0, moments[m], from, own.length);
    }
    local.setSteps(opt.steps());
    ByteBuffer[] blocks = fromOthers(j -> SliceState.optimizer(gen, job.step(), j), wait);
    if (blocks == null) {
      return false;
    }
    for (int j = 0; j < parts; j++) {
      if (j != partition) {
        SliceState.getMoments(blocks[j], moments, bounds[j], bounds[j + 1] - bounds[j]);
      }
    }
    return true;
  }

  /**
   * Round: the windows on the task's own copy from the gathered start, as LocalSgdSync's executors train them.
   * Leaves the round's loss, tokens and state resets in {@code g}; returns the sum of the windows' gradient norms.
   */
  private double train(Job job, Shard shard, GradAccumulator g) {
    LocalSgdSync.Windows w = LocalSgdSync.trainWindows(params, local, shard, g, job.trainStep(), job.lr(),
        job.clip());
    g.loss = w.loss();
    g.tokens = w.tokens();
    g.stateResets = w.reset() ? 1 : 0;
    return w.norms();
  }

  /** Round: slice j of the tokens-weighted copy and moments (parameters, then each moment) for the owner of j. */
  private long publishRound(Job job, GradAccumulator acc) {
    long sent = 0;
    for (int j = 0; j < parts; j++) {
      if (j != partition) {
        int a = bounds[j];
        int n = bounds[j + 1] - a;
        ByteBuffer buf = roundOut[j].clear();
        putWeighted(buf, params, a, n, acc.tokens);
        for (float[] m : local.state()) {
          putWeighted(buf, m, a, n, acc.tokens);
        }
        SliceBlocks.put(SliceBlocks.gradient(gen, job.step(), partition, j), buf);
        sent += buf.position();
      }
    }
    return sent;
  }

  private static void putWeighted(ByteBuffer buf, float[] x, int a, int n, long tokens) {
    for (int i = 0; i < n; i++) {
      buf.putFloat(x[a + i] * tokens);
    }
  }

  /** Round: this task's own tokens-weighted slice p into the sums. */
  private void addOwnRound(long tokens) {
    int n = own.length;
    for (int i = 0; i < n; i++) {
      averaged[i] += params[from + i] * tokens;
    }
    float[][] moments = local.state();
    for (int m = 0; m < moments.length; m++) {
      for (int i = 0; i < n; i++) {
        averaged[n * (m + 1) + i] += moments[m][from + i] * tokens;
      }
    }
  }

  /** Round: slice p's parameters and moments become the token-weighted means; the step count advances by k. */
  private void average(Job job, long tokens) {
    step = -1;
    int n = own.length;
    double total = tokens;
    for (int i = 0; i < n; i++) {
      own[i] = (float) (averaged[i] / total);
    }
    for (int m = 0; m < opt.state().length; m++) {
      for (int i = 0; i < n; i++) {
        opt.state()[m][i] = (float) (averaged[n * (m + 1) + i] / total);
      }
    }
    opt.setSteps(opt.steps() + job.lr().length);
    publishNext(job);
  }

  /** The carried state after this step's window, as the block of the next step. */
  private void publishCarried(Job job, Shard shard) {
    int bytes = 8 + 4 * shard.state().length;
    if (carriedOut == null || carriedOut.capacity() < bytes) {
      carriedOut = SliceBlocks.buffer(bytes);
    }
    SliceBlocks.remove(SliceState.carried(gen, job.step(), partition)); // read, if at all, at this step's start
    SliceState.publishCarried(gen, job.step() + 1, partition, shard, carriedOut);
  }
}
