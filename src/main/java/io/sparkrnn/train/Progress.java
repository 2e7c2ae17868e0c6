package io.sparkrnn.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the progress lines and metrics.jsonl report: loss and tokens since the last line, throughput,
 * and where a step's time went (compute on the slowest worker, broadcast, aggregation, update), plus
 * the totals of the run for summary.json.
 */
final class Progress {
  private double loss;
  private long tokens;
  private int steps;
  private final double[] ms = new double[4]; // compute, broadcast, aggregate, update
  private long since = System.nanoTime();
  double lastLoss = Double.NaN;
  long trainTokens;
  double trainSeconds;

  /** What one call of {@link Sync#step} measured over its {@code windows} steps. */
  void add(Sync.StepStats st, int windows, double stepSeconds) {
    loss += st.loss();
    tokens += st.tokens();
    steps += windows;
    ms[0] += st.computeMs();
    ms[1] += st.broadcastMs();
    ms[2] += st.aggregateMs();
    ms[3] += st.updateMs();
    trainTokens += st.tokens();
    trainSeconds += stepSeconds;
  }

  /** The metrics row for the steps since the last call, which starts a new interval. */
  Map<String, Object> row(long step, double epoch, float lr, double gradNorm) {
    double seconds = (System.nanoTime() - since) / 1e9;
    int n = Math.max(1, steps);
    lastLoss = loss / Math.max(1, tokens);
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("step", step);
    row.put("epoch", epoch);
    row.put("train_loss", lastLoss);
    row.put("train_ppl", Math.exp(lastLoss));
    row.put("tokens_per_s", tokens / seconds);
    row.put("lr", lr);
    row.put("grad_norm", gradNorm);
    row.put("ms_step", 1000 * seconds / n); // wall time, checkpoints and logging included
    row.put("ms_compute", ms[0] / n);
    row.put("ms_broadcast", ms[1] / n);
    row.put("ms_aggregate", ms[2] / n);
    row.put("ms_update", ms[3] / n);
    loss = 0;
    tokens = 0;
    steps = 0;
    java.util.Arrays.fill(ms, 0);
    since = System.nanoTime();
    return row;
  }

  /** Restarts the clock of the current interval (after an evaluation, which is not training time). */
  void restartClock() {
    since = System.nanoTime();
  }

  static String line(Map<String, Object> r, int epochs, long total) {
    return String.format("epoch %d/%d step %d/%d | loss %.3f ppl %.1f | %,.0f tok/s | lr %.2e | gnorm %.2f"
            + " | ms/step compute %.0f bcast %.0f aggr %.0f update %.0f",
        (int) Math.ceil((double) r.get("epoch")), epochs, (long) r.get("step"), total, r.get("train_loss"),
        r.get("train_ppl"), r.get("tokens_per_s"), r.get("lr"), r.get("grad_norm"), r.get("ms_compute"),
        r.get("ms_broadcast"), r.get("ms_aggregate"), r.get("ms_update"));
  }
}
