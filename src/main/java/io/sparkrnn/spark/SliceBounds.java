package io.sparkrnn.spark;

/**
 * Where the all-reduce cuts the flat parameter vector into its P slices: bounds[p] is slice p's first element,
 * bounds[P] the vector's length. Every step each owner receives its slice of P-1 gradients and sends its slice to
 * P-1 readers, and of a sparse row block (the embedding table) only the rows a window reads travel. Cut into equal
 * lengths, the owners of the table would send little and the others much, and a step waits for the busiest link;
 * so the slices are cut to equal expected traffic instead: an element outside the block weighs 1, one in row r
 * the rate at which a partition's window reads that row. Every element also weighs {@link #UPDATE_WEIGHT}, for the
 * update its owner applies whether the row was read or not.
 */
final class SliceBounds {
  private SliceBounds() {}

  /**
   * What an element's update costs its owner next to sending it to every reader: an optimizer step over a float
   * takes about a nanosecond, sending it to 3 readers at 1 Gbit/s or to 31 at 10 Gbit/s about 100.
   */
  static final double UPDATE_WEIGHT = 0.02;

  /** Equal lengths (differing by at most one). */
  static int[] uniform(int parts, int n) {
    int[] bounds = new int[parts + 1];
    for (int p = 0; p <= parts; p++) {
      bounds[p] = (int) ((long) p * n / parts);
    }
    return bounds;
  }

  /**
   * Equal expected traffic (see the class comment) for n elements with a block of {@code rows} rows of
   * {@code cols} at {@code offset} read at {@code rates} (per row, from 0 to 1); equal lengths when rates is null.
   */
  static int[] balanced(int parts, int n, int offset, int rows, int cols, double[] rates) {
    if (rates == null || rows == 0) {
      return uniform(parts, n);
    }
    // Runs of elements of one weight: before the block, each row, after it.
    int runs = rows + 2;
    int[] start = new int[runs + 1];
    double[] weight = new double[runs];
    start[0] = 0;
    weight[0] = 1;
    for (int r = 0; r < rows; r++) {
      start[r + 1] = offset + r * cols;
      weight[r + 1] = Math.min(1, Math.max(0, rates[r]));
    }
    start[rows + 1] = offset + rows * cols;
    weight[rows + 1] = 1;
    start[runs] = n;
    double total = 0;
    for (int k = 0; k < runs; k++) {
      total += (weight[k] + UPDATE_WEIGHT) * (start[k + 1] - start[k]);
    }
    int[] bounds = new int[parts + 1];
    bounds[parts] = n;
    double before = 0; // weight of the runs before run k
    int k = 0;
    for (int p = 1; p < parts; p++) {
      double target = total * p / parts;
      while (k < runs - 1 && before + (weight[k] + UPDATE_WEIGHT) * (start[k + 1] - start[k]) < target) {
        before += (weight[k] + UPDATE_WEIGHT) * (start[k + 1] - start[k]);
        k++;
      }
      int at = start[k] + (int) Math.ceil((target - before) / (weight[k] + UPDATE_WEIGHT));
      // Within [the previous bound + 1, n - the slices still to come]: every slice keeps at least one element.
      bounds[p] = Math.max(bounds[p - 1] + 1, Math.min(at, n - (parts - p)));
    }
    return bounds;
  }
}
