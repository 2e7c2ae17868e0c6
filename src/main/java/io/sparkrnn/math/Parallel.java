package io.sparkrnn.math;

import java.util.stream.IntStream;

/**
 * Element-wise passes over the whole parameter vector (gradient sum, averaging, norm, optimizer update) on
 * every core: the range is cut into chunks that depend on its length only, run on the common fork-join pool
 * and the calling thread. Element-wise results are the same as one pass; sums are added chunk by chunk in
 * order, so they are repeatable too. These passes run between steps, when the workers are idle.
 */
public final class Parallel {
  /** Below this many elements a pass stays on the calling thread. */
  private static final int MIN_CHUNK = 1 << 16;
  private static final int MAX_CHUNKS = 16;

  private Parallel() {}

  /** Work on the elements [from, to). */
  @FunctionalInterface
  public interface Range {
    void run(int from, int to);
  }

  /** Work on the elements [from, to) that returns a partial sum. */
  @FunctionalInterface
  public interface RangeSum {
    double run(int from, int to);
  }

  public static void forRanges(int n, Range body) {
    int chunks = chunks(n);
    if (chunks == 1) {
      body.run(0, n);
      return;
    }
    IntStream.range(0, chunks).parallel().forEach(c -> body.run(start(c, n, chunks), start(c + 1, n, chunks)));
  }

  /** Σ of body over the chunks of [0, n), added in chunk order. */
  public static double sum(int n, RangeSum body) {
    int chunks = chunks(n);
    if (chunks == 1) {
      return body.run(0, n);
    }
    double[] parts = new double[chunks];
    IntStream.range(0, chunks).parallel().forEach(c -> parts[c] = body.run(start(c, n, chunks),
        start(c + 1, n, chunks)));
    double total = 0;
    for (double p : parts) {
      total += p;
    }
    return total;
  }

  private static int chunks(int n) {
    return Math.max(1, Math.min(MAX_CHUNKS, n / MIN_CHUNK));
  }

  /** Chunk boundaries on multiples of 64 elements, so that vector loops keep their alignment. */
  private static int start(int c, int n, int chunks) {
    return c == chunks ? n : (int) ((long) n * c / chunks) & ~63;
  }
}
