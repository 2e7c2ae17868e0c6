package io.sparkrnn.data;

/**
 * Training data whose examples are lanes that can be cut apart: a Spark partition holds a contiguous range of
 * them, the same range that an in-process thread's shard holds.
 */
public interface Lanes extends java.io.Serializable {
  int lanes();

  /** Batches in one pass: every lane takes part in each (a short last batch may leave lanes out). */
  int batches();

  /** Lanes [first, first + count) alone. */
  Lanes keepLanes(int first, int count);

  /** What the lanes train on, for the log: target tokens, or words. */
  long tokens();
}
