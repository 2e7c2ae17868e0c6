package io.sparkrnn.train;

import io.sparkrnn.data.TokenStreams;
import io.sparkrnn.nn.LanguageModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Gradients from worker threads in this JVM: the B streams are split into one contiguous shard per
 * thread, each with its own workspace and accumulator (and so its own single-threaded BLAS calls),
 * and the shard sums are merged in a fixed order so that runs are repeatable.
 */
public final class LocalBackend implements StepBackend {
  private final LanguageModel model;
  private final int bptt;
  private final int evalBatch;
  private final int threads;
  private final TokenStreams train;
  private final List<StreamShard> shards;
  private final List<GradAccumulator> accs;
  private final Map<String, int[]> evalSplits;
  private final ExecutorService pool;
  private StepTiming timing = new StepTiming(0, 0, 0, 0);

  public LocalBackend(LanguageModel model, int[] trainIds, Map<String, int[]> evalSplits, int streams, int bptt,
      int evalBatch, int threads) {
    this.model = model;
    this.bptt = bptt;
    this.evalBatch = evalBatch;
    this.threads = Math.max(1, Math.min(threads, streams));
    this.train = TokenStreams.of(trainIds, streams);
    this.shards = StreamShard.split(model, train, this.threads, bptt);
    this.accs = new ArrayList<>();
    for (int i = 0; i < shards.size(); i++) {
      accs.add(new GradAccumulator(model.layout().size()));
    }
    this.evalSplits = evalSplits;
    this.pool = Executors.newFixedThreadPool(this.threads, r -> {
      Thread t = new Thread(r, "sparkrnn-worker");
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public int windows() {
    return train.windows(bptt);
  }

  @Override
  public int streams() {
    return train.streams();
  }

  @Override
  public int partitions() {
    return shards.size();
  }

  @Override
  public GradAccumulator gradients(float[] params, int window) {
    long t0 = System.nanoTime();
    List<Future<?>> jobs = new ArrayList<>();
    for (int i = 0; i < shards.size(); i++) {
      StreamShard shard = shards.get(i);
      GradAccumulator acc = accs.get(i);
      jobs.add(pool.submit(() -> {
        acc.reset();
        shard.run(params, window, bptt, acc);
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
    int[] ids = evalSplits.get(split);
    if (ids == null) {
      throw new IllegalArgumentException("no " + split + " split was loaded");
    }
    return Evaluator.evaluate(model, params, ids, evalBatch, bptt, threads, pool);
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
