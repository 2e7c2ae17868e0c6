package io.sparkrnn.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkrnn.train.Checkpoint;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Two checkpoints side by side: whether a resumed, a distributed or a rerun training ended where another did.
 * Prints one JSON object: steps, the largest absolute difference and the number of differing values of the
 * parameters (the mean, while averaging), the optimizer state, the carried hidden state and the averaged run's
 * iterate, the step averaging started from, the metric values of metrics.jsonl that differ
 * (losses, gradient norms, perplexities: not times), and {@code identical}: the same model, data position (step,
 * window, RNG) and every value bit for bit.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = "Compare two runs' checkpoints value by value; prints JSON with \"identical\": true or false.")
final class CompareCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "a run folder (or an exported model folder)")
  String first;

  @Parameters(index = "1", description = "another one")
  String second;

  @Override
  public Integer call() throws Exception {
    Checkpoint a = RunOption.load(first);
    Checkpoint b = RunOption.load(second);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("steps", new long[] {a.step(), b.step()});
    Difference params = Difference.of(new float[][] {a.params()}, new float[][] {b.params()});
    Difference opt = Difference.of(a.optimizerState(), b.optimizerState());
    Difference state = Difference.of(carried(a), carried(b));
    Difference iterate = Difference.of(new float[][] {a.iterate()}, new float[][] {b.iterate()});
    out.put("params", params.json());
    out.put("optimizer_state", opt.json());
    out.put("carried_state", state.json());
    out.put("averaging_from", new long[] {a.averageFrom(), b.averageFrom()});
    out.put("iterate", iterate.json());
    List<Map<String, Object>> ma = RunOption.metrics(first);
    List<Map<String, Object>> mb = RunOption.metrics(second);
    long metricsDiffering = differingMetrics(ma, mb);
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("rows", new int[] {ma.size(), mb.size()});
    metrics.put("differing", metricsDiffering);
    out.put("metrics", metrics);
    boolean samePosition = a.step() == b.step() && a.epoch() == b.epoch() && a.nextWindow() == b.nextWindow()
        && a.rngState() == b.rngState() && a.optimizerSteps() == b.optimizerSteps() && sameStreams(a, b)
        && a.averageFrom() == b.averageFrom();
    boolean sameModel = a.model().equals(b.model());
    out.put("same_model", sameModel);
    out.put("same_data_position", samePosition);
    out.put("identical", sameModel && samePosition && params.none() && opt.none() && state.none()
        && iterate.none() && metricsDiffering == 0);
    System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(out));
    return 0;
  }

  /**
   * Metric values that differ between the runs, row by row (a missing row counts each of its values); times and
   * throughput are not compared, as they differ between any two runs.
   */
  static long differingMetrics(List<Map<String, Object>> a, List<Map<String, Object>> b) {
    long differing = 0;
    for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
      Map<String, Object> x = i < a.size() ? a.get(i) : Map.of();
      Map<String, Object> y = i < b.size() ? b.get(i) : Map.of();
      Set<String> keys = new TreeSet<>(x.keySet());
      keys.addAll(y.keySet());
      for (String k : keys) {
        if (!k.equals("tokens_per_s") && !k.startsWith("ms_") && !Objects.equals(x.get(k), y.get(k))) {
          differing++;
        }
      }
    }
    return differing;
  }

  /** Whether both carry state for the same window and the same split of the streams (or neither carries any). */
  private static boolean sameStreams(Checkpoint a, Checkpoint b) {
    if (a.carried() == null || b.carried() == null) {
      return a.carried() == b.carried();
    }
    return a.carried().next() == b.carried().next()
        && java.util.Arrays.equals(a.carried().shardStreams(), b.carried().shardStreams());
  }

  private static float[][] carried(Checkpoint c) {
    return c.carried() == null ? new float[0][] : new float[][] {c.carried().state()};
  }

  /** Values compared bit for bit; arrays of different shapes count as all different. */
  private record Difference(long values, long differing, double maxAbs) {
    static Difference of(float[][] a, float[][] b) {
      long values = 0;
      long differing = 0;
      double max = 0;
      for (int i = 0; i < Math.max(a.length, b.length); i++) {
        float[] x = i < a.length ? a[i] : new float[0];
        float[] y = i < b.length ? b[i] : new float[0];
        if (x.length != y.length) {
          values += Math.max(x.length, y.length);
          differing += Math.max(x.length, y.length);
          max = Double.POSITIVE_INFINITY;
          continue;
        }
        values += x.length;
        for (int j = 0; j < x.length; j++) {
          if (Float.floatToRawIntBits(x[j]) != Float.floatToRawIntBits(y[j])) {
            differing++;
            max = Math.max(max, Math.abs((double) x[j] - y[j]));
          }
        }
      }
      return new Difference(values, differing, max);
    }

    boolean none() {
      return differing == 0;
    }

    Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("values", values);
      m.put("differing", differing);
      m.put("max_abs_diff", maxAbs);
      return m;
    }
  }
}
