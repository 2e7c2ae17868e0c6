package io.sparkrnn.train;

import io.sparkrnn.data.TokenStreams;
import io.sparkrnn.nn.LanguageModel;
import io.sparkrnn.train.StepBackend.Evaluation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Perplexity of a token sequence in this JVM: cut into B streams (every transition predicted once,
 * see {@link TokenStreams}), state carried through each stream, shards of streams on the pool's threads.
 */
public final class Evaluator {
  private Evaluator() {}

  public static Evaluation evaluate(LanguageModel model, float[] params, int[] ids, int streams, int bptt,
      int threads, ExecutorService pool) {
    TokenStreams s = TokenStreams.of(ids, Math.max(1, Math.min(streams, ids.length - 1)));
    List<Future<GradAccumulator>> jobs = new ArrayList<>();
    for (StreamShard shard : StreamShard.split(model, s, threads, bptt)) {
      jobs.add(pool.submit(() -> {
        GradAccumulator acc = new GradAccumulator(0);
        for (int w = 0; w < s.windows(bptt); w++) {
          shard.run(params, w, bptt, acc);
        }
        return acc;
      }));
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
