package io.sparkrnn.data;

import java.util.Arrays;

/**
 * A token sequence cut into B parallel streams and read in windows of T steps (batchify, as in
 * PyTorch's word_language_model). With N tokens and L = ceil((N-1)/B) predictions per stream,
 * stream b holds tokens [b·L, b·L + L], overlapping the next stream by one token so that every one of
 * the N-1 transitions is predicted exactly once:
 * <pre>
 *   tokens  a b c d e f g h i j      (N = 10, B = 3 → L = 3)
 *   stream0 a b c d                  inputs a b c → targets b c d
 *   stream1       d e f g
 *   stream2             g h i j
 * </pre>
 * Storage is time-major (L+1, B); positions past the end hold -1 (no input, no target). Window s
 * covers steps [s·T, min(s·T+T, L)).
 */
public final class TokenStreams implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  private final int streams;
  private final int length; // L
  private final int[] data; // (L+1, B)

  /** Streams of predetermined length L over {@code tokens[from, to)}; missing positions are -1. */
  public TokenStreams(int[] tokens, int from, int to, int streams, int length) {
    if (streams <= 0 || length <= 0) {
      throw new IllegalArgumentException("need at least one stream of one step, not " + streams + " × " + length);
    }
    this.streams = streams;
    this.length = length;
    this.data = new int[(length + 1) * streams];
    Arrays.fill(data, -1);
    for (int b = 0; b < streams; b++) {
      for (int t = 0; t <= length; t++) {
        long src = from + (long) b * length + t;
        if (src < to) {
          data[t * streams + b] = tokens[(int) src];
        }
      }
    }
  }

  /** All of {@code tokens} cut into B streams of the shortest length that covers them. */
  public static TokenStreams of(int[] tokens, int streams) {
    return new TokenStreams(tokens, 0, tokens.length, streams, lengthFor(tokens.length, streams));
  }

  /** L = ceil((N-1)/B); at least 1. */
  public static int lengthFor(long tokens, int streams) {
    return (int) Math.max(1, (tokens - 1 + streams - 1) / streams);
  }

  public int streams() {
    return streams;
  }

  public int length() {
    return length;
  }

  /** Windows of T steps per pass over the streams. */
  public int windows(int bptt) {
    return (length + bptt - 1) / bptt;
  }

  /** Steps in window s (T except perhaps the last). */
  public int steps(int window, int bptt) {
    return Math.min(bptt, length - window * bptt);
  }

  /** Copies window s into inputs and targets, both (steps, B) time-major. */
  public void window(int window, int bptt, int[] inputs, int[] targets) {
    int t0 = window * bptt;
    int n = steps(window, bptt) * streams;
    System.arraycopy(data, t0 * streams, inputs, 0, n);
    System.arraycopy(data, (t0 + 1) * streams, targets, 0, n);
  }

  /** Copies window s of streams [first, first+count) only. */
  public void window(int window, int bptt, int first, int count, int[] inputs, int[] targets) {
    int t0 = window * bptt;
    int steps = steps(window, bptt);
    for (int t = 0; t < steps; t++) {
      System.arraycopy(data, (t0 + t) * streams + first, inputs, t * count, count);
      System.arraycopy(data, (t0 + t + 1) * streams + first, targets, t * count, count);
    }
  }
}
