package io.sparkrnn.spark;

import io.sparkrnn.optim.GradClip;
import io.sparkrnn.optim.Optimizer;
import io.sparkrnn.optim.OptimizerSpec;
import io.sparkrnn.train.DriverSync;
import io.sparkrnn.train.GradAccumulator;
import io.sparkrnn.train.StepBackend;
import io.sparkrnn.train.Objective;
import io.sparkrnn.train.Shard;
import io.sparkrnn.train.TrainConfig;

/**
 * spark.syncEvery=k, local SGD (periodic averaging; Lin et al. 2020): a round starts every partition from the
 * same parameters and optimizer state; each partition trains k windows of its own streams with its own copy,
 * clipping its own gradient and stepping its own optimizer; then the copies are averaged on the driver,
 * weighted by the tokens each partition predicted, and the next round starts from the average. One
 * synchronisation per k steps instead of one per step.
 *
 * <p>Optimizer moments (Adam's m and v, momentum, AdaGrad's sum, RMSprop's mean square) are averaged with the
 * same weights as the parameters, and the step count advances by k: the state after a round is again one
 * optimizer state, so checkpoints (taken at the end of a round) and resume are those of the synchronous mode.
 * With k = 1, plain SGD and no clipping, a round is exactly a synchronous step: the token-weighted mean of
 * θ - lr·g_p/n_p is θ - lr·Σg_p/Σn_p.
 *
 * <p>The sum that travels to the driver has the layout (params · n_p | each moment · n_p | Σ local norms).
 */
final class LocalSgdSync extends DriverSync {
  private final SparkBackend spark;
  private final TrainConfig cfg;
  private float[] packed; // (N·(1+M)) the round's starting parameters and moments, for the tasks
  private GradAccumulator total; // (N·(1+M) + 1) the tokens-weighted sums

  LocalSgdSync(SparkBackend backend, TrainConfig cfg) {
    super(backend);
    this.spark = backend;
    this.cfg = cfg;
  }

  @Override
  public int windowsPerStep() {
    return cfg.syncEvery();
  }

  @Override
  public boolean start(float[] params, Optimizer opt, StepBackend.CarriedState carried) {
    int n = params.length * (1 + opt.state().length);
    this.packed = new float[n];
    this.total = new GradAccumulator(n + 1);
    return super.start(params, opt, carried);
  }

  @Override
  public StepStats step(long step, float[] lr, double clip) {
    long t0 = System.nanoTime();
    int n = params.length;
    float[][] moments = opt.state();
    System.arraycopy(params, 0, packed, 0, n);
    for (int i = 0; i < moments.length; i++) {
      System.arraycopy(moments[i], 0, packed, n * (i + 1), n);
    }
    StepParams shared = StepParams.of(spark.sc(), packed);
    long t1 = System.nanoTime();
    String run = spark.run();
    Objective<?> objective = spark.objective();
    long optSteps = opt.steps();
    OptimizerSpec rule = cfg.optimizerSpec();
    int sumSize = total.grad.length;
    GradAccumulator acc = spark.sumOverPartitions((p, part) -> {
      Shard shard = ExecutorStore.shard(run, p, objective, part);
      GradAccumulator g = ExecutorStore.accumulator(run, p, objective);
      GradAccumulator out = ExecutorStore.averagingBuffer(run, p, sumSize);
      Optimizer local = rule.create(n);
      return round(shared.get(), local, optSteps, shard, g, out, step, lr, clip);
    }, total);
    long t2 = System.nanoTime();
    shared.release();
    double tokens = acc.tokens;
    for (int i = 0; i < n; i++) {
      params[i] = (float) (acc.grad[i] / tokens);
    }
    for (int m = 0; m < moments.length; m++) {
      for (int i = 0; i < n; i++) {
        moments[m][i] = (float) (acc.grad[n * (m + 1) + i] / tokens);
      }
    }
    opt.setSteps(optSteps + lr.length);
    double meanNorm = acc.grad[sumSize - 1] / ((double) backend.partitions() * lr.length);
    return new StepStats(acc.loss, acc.tokens, meanNorm, acc.stateResets, acc.computeMs, (t1 - t0) / 1e6,
        Math.max(0, (t2 - t1) / 1e6 - acc.computeMs), (System.nanoTime() - t2) / 1e6, spark.lastBlockBytes());
  }

  /** What a round's windows left: summed loss, tokens and gradient norms; whether a carried state was reset. */
  record Windows(double loss, long tokens, double norms, boolean reset) {}

  /**
   * lr.length windows of the partition's streams from training step {@code step}, on {@code own}, each a whole
   * synchronous step on its own (mean over its tokens, clip, {@code local}'s step; skipped when the loss or the
   * norm is not finite). The training of a round, whether the driver or the slice owners average it.
   */
  static Windows trainWindows(float[] own, Optimizer local, Shard shard, GradAccumulator g, long step,
      float[] lr, double clip) {
    double loss = 0;
    long tokens = 0;
    double norms = 0;
    boolean reset = false;
    for (int i = 0; i < lr.length; i++) {
      g.reset();
      reset |= !shard.run(own, step + i, g);
      double norm = GradClip.averageAndClip(g.grad, g.tokens > 0 ? 1f / g.tokens : 0f, clip);
      if (Double.isFinite(g.loss) && Double.isFinite(norm)) {
        local.step(own, g.grad, lr[i]);
      }
      loss += g.loss;
      tokens += g.tokens;
      norms += norm;
    }
    return new Windows(loss, tokens, norms, reset);
  }

  /**
   * Executor side of one round: the partition's own copy from the round's start, lr.length windows of its
   * streams, each a whole synchronous step on its own (mean over its tokens, clip, optimizer), then the
   * tokens-weighted copy and moments into {@code out}.
   */
  private static GradAccumulator round(float[] start, Optimizer local, long optSteps, Shard shard,
      GradAccumulator g, GradAccumulator out, long step, float[] lr, double clip) {
    int n = g.grad.length;
    float[] own = java.util.Arrays.copyOf(start, n);
    float[][] moments = local.state();
    for (int m = 0; m < moments.length; m++) {
      System.arraycopy(start, n * (m + 1), moments[m], 0, n);
    }
    local.setSteps(optSteps);
    long c0 = System.nanoTime();
    Windows w = trainWindows(own, local, shard, g, step, lr, clip);
    if (w.reset()) {
      out.stateResets = 1;
    }
    long tokens = w.tokens();
    for (int i = 0; i < n; i++) {
      out.grad[i] = own[i] * tokens;
    }
    for (int m = 0; m < moments.length; m++) {
      for (int i = 0; i < n; i++) {
        out.grad[n * (m + 1) + i] = moments[m][i] * tokens;
      }
    }
    out.grad[out.grad.length - 1] = (float) w.norms();
    out.loss = w.loss();
    out.tokens = tokens;
    out.computeMs = (System.nanoTime() - c0) / 1e6;
    return out;
  }
}
