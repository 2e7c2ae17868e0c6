package io.sparkrnn.train;

import io.sparkrnn.data.TokenStreams;
import io.sparkrnn.nn.LanguageModel;
import io.sparkrnn.nn.Noise;
import io.sparkrnn.nn.Regularization;
import io.sparkrnn.nn.SoftmaxCrossEntropy;

/**
 * A language model's {@link Shard}: a contiguous range of streams and their carried hidden state; batch s is
 * window s of T steps of every stream.
 *
 * <p>Truncated BPTT: window s starts from the state window s-1 left (no gradient flows back into
 * it); window 0 starts from zeros.
 */
final class StreamShard implements Shard {
  private final LanguageModel model;
  private final TokenStreams streams;
  private final int first;
  private final int count;
  private final int bptt;
  private final Regularization reg;
  private final long seed;
  private final int number; // of stream `first` in the whole training set: keys its dropout masks
  private final float[] state; // (B_shard · stateSize)
  private final int[] inputs; // (T, B_shard)
  private final int[] targets; // (T, B_shard)
  private LanguageModel.Workspace ws;
  private int nextWindow;

  StreamShard(LanguageModel model, TokenStreams streams, int first, int count, int bptt, Regularization reg,
      long seed, int number) {
    if (first < 0 || count <= 0 || first + count > streams.streams()) {
      throw new IllegalArgumentException("streams [" + first + ", " + (first + count) + ") outside 0.."
          + streams.streams());
    }
    this.model = model;
    this.streams = streams;
    this.first = first;
    this.count = count;
    this.bptt = bptt;
    this.reg = reg;
    this.seed = seed;
    this.number = number;
    this.state = new float[count * model.stateSize()];
    this.inputs = new int[bptt * count];
    this.targets = new int[bptt * count];
  }

  @Override
  public int examples() {
    return count;
  }

  @Override
  public int batches() {
    return streams.windows(bptt);
  }

  @Override
  public float[] state() {
    return state;
  }

  @Override
  public int nextBatch() {
    return nextWindow;
  }

  @Override
  public void restore(float[] saved, int next) {
    System.arraycopy(saved, 0, state, 0, state.length);
    this.nextWindow = next;
  }

  /** The window's input tokens: the embedding rows its forward pass looks up (only those get a gradient). */
  @Override
  public int[] rowsRead(long step) {
    int window = (int) (step % batches());
    int[] in = new int[bptt * count];
    streams.window(window, bptt, first, count, in, new int[bptt * count]);
    return java.util.Arrays.stream(in, 0, streams.steps(window, bptt) * count).filter(t -> t >= 0).distinct().sorted()
        .toArray();
  }

  @Override
  public boolean run(float[] params, long step, GradAccumulator acc) {
    int window = (int) (step % batches());
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
    ws.whenReady(acc.ready);
    Noise noise = training && reg.active() ? reg.at(seed, step, number) : null;
    acc.loss += model.window(params, inputs, targets, state, ws, training ? acc.grad : null, noise);
    acc.tokens += SoftmaxCrossEntropy.count(targets, steps * count);
    nextWindow = window + 1;
    return continuous;
  }
}
