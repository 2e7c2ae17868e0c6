package io.sparkrnn.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Sentence pairs (token ids, {@code </s>} at the end of each side) in batches of up to {@code lanes} pairs of
 * similar length, sorted by source then target length ({@link BatchOrder}): the pairs play the part of a language
 * model's streams, and the sum over a step is the same for any split of the lanes.
 */
public final class PairBatches implements Lanes {
  private static final long serialVersionUID = 1L;
  private final int lanes;
  private final int[][] source;
  private final int[][] target;
  private final int[][] batches; // pair indices, lane order

  private PairBatches(int lanes, int[][] source, int[][] target, int[][] batches) {
    this.lanes = lanes;
    this.source = source;
    this.target = target;
    this.batches = batches;
  }

  /** Batches of up to {@code lanes} pairs; {@code shuffle}: the batch order drawn from {@code seed}. */
  public static PairBatches of(List<int[]> source, List<int[]> target, int lanes, boolean shuffle, long seed) {
    if (source.size() != target.size()) {
      throw new IllegalArgumentException(source.size() + " source sentences but " + target.size() + " targets");
    }
    if (source.isEmpty()) {
      throw new IllegalArgumentException("no sentence pairs");
    }
    int[][] batches = BatchOrder.batches(source.size(), Comparator.<Integer>comparingInt(i -> source.get(i).length)
        .thenComparingInt(i -> target.get(i).length), lanes, shuffle, seed);
    return new PairBatches(lanes, source.toArray(new int[0][]), target.toArray(new int[0][]), batches);
  }

  /** Pairs per full batch. */
  @Override
  public int lanes() {
    return lanes;
  }

  @Override
  public int batches() {
    return batches.length;
  }

  public int pairs() {
    return source.length;
  }

  public int[] source(int pair) {
    return source[pair];
  }

  public int[] target(int pair) {
    return target[pair];
  }

  /** The pairs of batch b in lanes [first, first + count) (fewer, or none, in a short last batch). */
  public int[] lanes(int b, int first, int count) {
    return BatchOrder.lanes(batches[b], first, count);
  }

  /** Only lanes [first, first + count) of every batch, with their pairs (what one Spark partition holds). */
  @Override
  public PairBatches keepLanes(int first, int count) {
    List<int[]> src = new ArrayList<>();
    List<int[]> tgt = new ArrayList<>();
    int[][] kept = new int[batches.length][];
    for (int b = 0; b < batches.length; b++) {
      int[] pairs = lanes(b, first, count);
      kept[b] = new int[pairs.length];
      for (int j = 0; j < pairs.length; j++) {
        kept[b][j] = src.size();
        src.add(source[pairs[j]]);
        tgt.add(target[pairs[j]]);
      }
    }
    return new PairBatches(count, src.toArray(new int[0][]), tgt.toArray(new int[0][]), kept);
  }

  /** Target tokens to predict (each target sentence with its {@code </s>}). */
  @Override
  public long tokens() {
    long n = 0;
    for (int[] t : target) {
      n += t.length;
    }
    return n;
  }
}
