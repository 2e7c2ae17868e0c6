package io.sparkrnn.train;

import io.sparkrnn.data.TokenStreams;
import io.sparkrnn.nn.LanguageModel;
import io.sparkrnn.nn.SoftmaxCrossEntropy;
import java.util.ArrayList;
import java.util.List;

/**
 * A contiguous range of streams and their carried hidden state: the unit of work of one in-process
 * thread or one Spark partition. Both call {@link #run}, so the maths is the same in both places.
 *
 * <p>Truncated BPTT: window s starts from the state window s-1 left (no gradient flows back into
 * it); window 0 starts from zeros.
 */
public final class StreamShard {
  private final LanguageModel model;
  private final TokenStreams streams;
  private final int first;
  private final int count;
  private final float[] state; // (B_shard · stateSize)
  private final int[] inputs; // (T, B_shard)
  private final int[] targets; // (T, B_shard)
  private LanguageModel.Workspace ws;
  private int nextWindow;

  public StreamShard(LanguageModel model, TokenStreams streams, int first, int count, int bptt) {
    if (first < 0 || count <= 0 || first + count > streams.streams()) {
      throw new IllegalArgumentException("streams [" + first + ", " + (first + count) + ") outside 0.."
          + streams.streams());
    }
    this.model = model;
    this.streams = streams;
    this.first = first;
    this.count = count;
    this.state = new float[count * model.stateSize()];
    this.inputs = new int[bptt * count];
    this.targets = new int[bptt * count];
  }

  /** The streams of {@code s} cut into min(parts, B) contiguous shards of sizes differing by at most one. */
  public static List<StreamShard> split(LanguageModel model, TokenStreams s, int parts, int bptt) {
    List<StreamShard> out = new ArrayList<>();
    int n = Math.min(parts, s.streams());
    for (int i = 0; i < n; i++) {
      int from = i * s.streams() / n;
      int to = (i + 1) * s.streams() / n;
      out.add(new StreamShard(model, s, from, to - from, bptt));
    }
    return out;
  }

  public int streams() {
    return count;
  }

  public int windows(int bptt) {
    return streams.windows(bptt);
  }

  /** The carried state (B_shard · stateSize), live. */
  public float[] state() {
    return state;
  }

  /** The window this shard's state is ready for (so a rescheduled task can tell it lost its state). */
  public int nextWindow() {
    return nextWindow;
  }

  /** Starts the next window from this state (a checkpoint restore), expecting window {@code next}. */
  public void restore(float[] saved, int next) {
    System.arraycopy(saved, 0, state, 0, state.length);
    this.nextWindow = next;
  }

  /**
   * Runs window s forward (and backward when acc.grad has the model's size), adding the gradient,
   * summed NLL and token count into {@code acc}. Window 0, or a window other than the one the state
   * is ready for, starts from zero state; returns false in the latter case.
   */
  public boolean run(float[] params, int window, int bptt, GradAccumulator acc) {
    boolean continuous = window == 0 || window == nextWindow;
    if (!continuous || window == 0) {
      java.util.Arrays.fill(state, 0f);
    }
    int steps = streams.steps(window, bptt);
    if (ws == null || ws.steps() != steps) {
      ws = model.newWorkspace(steps, count);
    }
    streams.window(window, bptt, first, count, inputs, targets);
    boolean training = acc.grad.length > 0;
    acc.loss += model.window(params, inputs, targets, state, ws, training ? acc.grad : null);
    acc.tokens += SoftmaxCrossEntropy.count(targets, steps * count);
    nextWindow = window + 1;
    return continuous;
  }
}
