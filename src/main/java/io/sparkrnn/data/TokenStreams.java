package io.sparkrnn.data;

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
 *
 * <p>Each position holds id + 1 in the fewest bits that fit the largest id (18 for a 147k-word vocabulary), packed
 * into longs: 100 million tokens take 225 MB instead of 400 as ints, and a window is 2·T·B reads.
 */
public final class TokenStreams implements java.io.Serializable {
  private static final long serialVersionUID = 2L;
  private final int streams;
  private final int length; // L
  private final int bits;
  private final long[] packed; // (L+1, B) values of id + 1, 0 past the end

  /** Streams of predetermined length L over {@code tokens[from, to)}; missing positions are -1. */
  public TokenStreams(int[] tokens, int from, int to, int streams, int length) {
    if (streams <= 0 || length <= 0) {
      throw new IllegalArgumentException("need at least one stream of one step, not " + streams + " × " + length);
    }
    this.streams = streams;
    this.length = length;
    int max = 0;
    for (int i = from; i < to; i++) {
      if (tokens[i] < 0) {
        throw new IllegalArgumentException("token id " + tokens[i] + " at " + i + " is negative");
      }
      max = Math.max(max, tokens[i]);
    }
    this.bits = 32 - Integer.numberOfLeadingZeros(max + 1);
    long positions = (long) (length + 1) * streams;
    if (positions > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(streams + " streams of " + length + " steps exceed 2^31 positions");
    }
    this.packed = new long[(int) ((positions * bits + 63) >>> 6)];
    for (int b = 0; b < streams; b++) {
      for (int t = 0; t <= length; t++) {
        long src = from + (long) b * length + t;
        if (src < to) {
          put(t * streams + b, tokens[(int) src] + 1L);
        }
      }
    }
  }

  private void put(int position, long value) {
    long bit = (long) position * bits;
    int word = (int) (bit >>> 6);
    int shift = (int) (bit & 63);
    packed[word] |= value << shift;
    if (shift + bits > 64) {
      packed[word + 1] |= value >>> (64 - shift);
    }
  }

  /** The id at a position, or -1 past the end. */
  private int get(int position) {
    long bit = (long) position * bits;
    int word = (int) (bit >>> 6);
    int shift = (int) (bit & 63);
    long v = packed[word] >>> shift;
    if (shift + bits > 64) {
      v |= packed[word + 1] << (64 - shift);
    }
    return (int) (v & ((1L << bits) - 1)) - 1;
  }

  /** All of {@code tokens} cut into B streams of the shortest length that covers them. */
  public static TokenStreams of(int[] tokens, int streams) {
    return new TokenStreams(tokens, 0, tokens.length, streams, lengthFor(tokens.length, streams));
  }

  /** All of {@code tokens} in at most {@code streams} streams: fewer for a text too short for that many. */
  public static TokenStreams atMost(int[] tokens, int streams) {
    return of(tokens, Math.max(1, Math.min(streams, tokens.length - 1)));
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
    return windows(length, bptt);
  }

  /** Windows of T steps per pass over streams of L steps. */
  public static int windows(int length, int bptt) {
    return (length + bptt - 1) / bptt;
  }

  /** Steps in window s (T except perhaps the last). */
  public int steps(int window, int bptt) {
    return Math.min(bptt, length - window * bptt);
  }

  /** Copies window s into inputs and targets, both (steps, B) time-major. */
  public void window(int window, int bptt, int[] inputs, int[] targets) {
    window(window, bptt, 0, streams, inputs, targets);
  }

  /** Copies window s of streams [first, first+count) only. */
  public void window(int window, int bptt, int first, int count, int[] inputs, int[] targets) {
    int t0 = window * bptt;
    int steps = steps(window, bptt);
    for (int t = 0; t < steps; t++) {
      for (int b = 0; b < count; b++) {
        inputs[t * count + b] = get((t0 + t) * streams + first + b);
        targets[t * count + b] = get((t0 + t + 1) * streams + first + b);
      }
    }
  }
}
