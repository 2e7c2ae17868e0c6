package io.sparkrnn.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Gradients from worker threads in this JVM: the training examples are split into one contiguous shard per
 * thread, each with its own workspace and accumulator (and so its own single-threaded BLAS calls),
 * and the shard sums are merged in a fixed order so that runs are repeatable.
 */
public final class LocalBackend implements StepBackend {
  private final int threads;
  private final int examples;
  private final List<Shard> shards;
  private final List<GradAccumulator> accs;
  /** The shards of an evaluation split, made for each evaluation (so that their buffers do not stay). */
  private final Function<String, List<Shard>> evalShards;
  private final ExecutorService pool;
  private StepTiming timing = new StepTiming(0, 0, 0, 0);

  /** {@code objective} over {@code train}, with the evaluation splits by name ("valid", "test"). */
  public <D> LocalBackend(Objective<D> objective, D train, Map<String, D> evalSplits, int threads) {
    this.examples = objective.examples(train);
    this.threads = Math.max(1, Math.min(threads, examples));
    this.shards = Shard.split(objective, train, this.threads);
    this.accs = new ArrayList<>();
    for (int i = 0; i < shards.size(); i++) {
      accs.add(objective.accumulator());
    }
    this.evalShards = split -> {
      D data = evalSplits.get(split);
      if (data == null) {
        throw new IllegalArgumentException("no " + split + " split was loaded");
      }
      return Shard.split(objective, data, this.threads);
    };
    this.pool = Executors.newFixedThreadPool(this.threads, r -> {
      Thread t = new Thread(r, "sparkrnn-worker");
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public int batches() {
    return shards.get(0).batches();
  }

  @Override
  public int examples() {
    return examples;
  }

  @Override
  public int partitions() {
    return shards.size();
  }

  @Override
  public GradAccumulator gradients(float[] params, long step) {
    long t0 = System.nanoTime();
    List<Future<?>> jobs = new ArrayList<>();
    for (int i = 0; i < shards.size(); i++) {
      Shard shard = shards.get(i);
      GradAccumulator acc = accs.get(i);
      jobs.add(pool.submit(() -> {
        acc.reset();
        shard.run(params, step, acc);
      }));
    }
    await(jobs);
    long t1 = System.nanoTime();
    GradAccumulator total = accs.get(0);
    for (int i = 1; i < accs.size(); i++) {
      total.merge(accs.get(i));
    }
    timing = new StepTiming((t1 - t0) / 1e6, 0, (System.nanoTime() - t1) / 1e6, 0);
    return total;
  }

  @Override
  public Evaluation evaluate(float[] params, String split) {
    return Evaluator.evaluate(evalShards.apply(split), params, pool);
  }

  @Override
  public CarriedState carriedState() {
    return ShardStates.save(shards);
  }

  @Override
  public boolean restoreState(CarriedState state) {
    return ShardStates.restore(shards, state);
  }

  @Override
  public StepTiming lastTiming() {
    return timing;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }

  private static void await(List<Future<?>> jobs) {
    for (Future<?> f : jobs) {
      Evaluator.get(f);
    }
  }
}
