package io.sparkrnn.data;

import io.sparkrnn.math.Rng;
import java.util.Arrays;
import java.util.Comparator;

/**
 * How examples of different sizes become batches whose lanes can be cut apart: the examples sorted by size, cut
 * into runs of {@code lanes}, the runs in an order drawn from the seed (training) or kept (evaluation). Lane j of
 * batch b is its j-th example, so a shard that owns lanes [first, first + count) owns the same examples of every
 * batch whatever the number of shards.
 */
final class BatchOrder {
  private BatchOrder() {}

  /** Example indices per batch, lane order; {@code bySize} orders indices [0, n) (ties broken by index). */
  static int[][] batches(int n, Comparator<Integer> bySize, int lanes, boolean shuffle, long seed) {
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, bySize.thenComparing(Comparator.naturalOrder()));
    int count = (n + lanes - 1) / lanes;
    int[][] batches = new int[count][];
    for (int b = 0; b < count; b++) {
      int from = b * lanes;
      batches[b] = new int[Math.min(lanes, n - from)];
      for (int j = 0; j < batches[b].length; j++) {
        batches[b][j] = order[from + j];
      }
    }
    if (shuffle) {
      Rng rng = new Rng(seed);
      for (int i = count - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int[] t = batches[i];
        batches[i] = batches[j];
        batches[j] = t;
      }
    }
    return batches;
  }

  /** The examples of {@code batch} in lanes [first, first + count) (fewer, or none, in a short last batch). */
  static int[] lanes(int[] batch, int first, int count) {
    int from = Math.min(first, batch.length);
    return Arrays.copyOfRange(batch, from, Math.min(batch.length, first + count));
  }
}
