package io.sparkrnn.train;

import io.sparkrnn.data.TokenStreams;
import io.sparkrnn.nn.LanguageModel;
import io.sparkrnn.train.StepBackend.Evaluation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/** Loss sums over a split in this JVM: a whole pass of every shard, forward only, shards on the pool's threads. */
public final class Evaluator {
  private Evaluator() {}

  /**
   * Perplexity inputs of a token sequence: cut into B streams (every transition predicted once, see
   * {@link TokenStreams}), state carried through each stream.
   */
  public static Evaluation evaluate(LanguageModel model, float[] params, int[] ids, int streams, int bptt,
      int threads, ExecutorService pool) {
    return evaluate(Shard.split(new LanguageModelObjective(model, bptt), TokenStreams.atMost(ids, streams), threads),
        params, pool);
  }

  public static Evaluation evaluate(List<Shard> shards, float[] params, ExecutorService pool) {
    List<Future<GradAccumulator>> jobs = new ArrayList<>();
    for (Shard shard : shards) {
      jobs.add(pool.submit(() -> shard.evaluate(params, new GradAccumulator(0))));
    }
    double loss = 0;
    long tokens = 0;
    for (Future<GradAccumulator> f : jobs) {
      GradAccumulator a = get(f);
      loss += a.loss;
      tokens += a.tokens;
    }
    return new Evaluation(loss, tokens);
  }

  static <T> T get(Future<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }
}
