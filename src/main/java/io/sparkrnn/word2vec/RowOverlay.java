package io.sparkrnn.word2vec;

import java.util.Arrays;

/**
 * The rows a shard trains in a step, each copied from the step's parameters when first touched into a compact
 * table of its own. A full copy of both tables per shard and step cost a copy of all of them and, with several
 * shards in one JVM, a working set of one model per shard, which a large vocabulary pushes out of the cache;
 * the rows a step touches are a fraction of them and the frequent ones are shared by every step.
 */
public final class RowOverlay {
  private final int dim;
  private final int[] index; // per row of the model: its place in this table, or -1
  private int[] rows = new int[256]; // per place: the model's row
  private float[] counts = new float[256]; // per place: updates of the row in this step
  private float[] table = new float[256 * 8];
  private int size;
  private float[] base;

  RowOverlay(int rows, int dim) {
    this.dim = dim;
    this.index = new int[rows];
    Arrays.fill(index, -1);
  }

  /** Forgets the rows of the last step; rows are copied from {@code base} from now on. */
  void reset(float[] base) {
    for (int i = 0; i < size; i++) {
      index[rows[i]] = -1;
    }
    size = 0;
    this.base = base;
  }

  /** Where model row {@code row} starts in {@link #table}, copied in first if this step has not touched it. */
  int at(int row) {
    int i = index[row];
    if (i < 0) {
      if (size == rows.length) {
        rows = Arrays.copyOf(rows, 2 * size);
        counts = Arrays.copyOf(counts, 2 * size);
      }
      if ((size + 1) * dim > table.length) {
        table = Arrays.copyOf(table, Math.max(2 * table.length, (size + 1) * dim));
      }
      i = size++;
      index[row] = i;
      rows[i] = row;
      counts[i] = 0;
      System.arraycopy(base, row * dim, table, i * dim, dim);
    }
    return i * dim;
  }

  /** Counts an update of model row {@code row}, which {@link #at} has copied in. */
  void count(int row) {
    counts[index[row]]++;
  }

  /** The copied rows; read it after the last {@link #at} of an update, which may replace it. */
  float[] table() {
    return table;
  }

  /** A moved row: its model row, where it starts in {@link #table}, and the updates it had. */
  public interface MovedRow {
    void accept(int row, float[] table, int at, float count);
  }

  /** Every row touched this step, in the order of first touch. */
  public void forEach(MovedRow f) {
    for (int i = 0; i < size; i++) {
      f.accept(rows[i], table, i * dim, counts[i]);
    }
  }
}
