package io.sparkrnn.data;

import io.sparkrnn.math.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Sentence pairs (token ids, {@code </s>} at the end of each side) in batches of up to {@code lanes} pairs of
 * similar length: pairs sorted by source then target length, cut into runs of {@code lanes}, the runs in an
 * order drawn from the seed (training) or kept (evaluation). Lane j of batch b is its j-th pair, so a shard
 * that owns lanes [first, first + count) owns the same pairs of every batch whatever the number of shards: the
 * pairs play the part of a language model's streams, and the sum over a step is the same for any split.
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
    Integer[] order = new Integer[source.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> source.get(a).length != source.get(b).length
        ? Integer.compare(source.get(a).length, source.get(b).length)
        : target.get(a).length != target.get(b).length ? Integer.compare(target.get(a).length, target.get(b).length)
        : Integer.compare(a, b));
    int n = (order.length + lanes - 1) / lanes;
    int[][] batches = new int[n][];
    for (int b = 0; b < n; b++) {
      int from = b * lanes;
      batches[b] = new int[Math.min(lanes, order.length - from)];
      for (int j = 0; j < batches[b].length; j++) {
        batches[b][j] = order[from + j];
      }
    }
    if (shuffle) {
      Rng rng = new Rng(seed);
      for (int i = n - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int[] t = batches[i];
        batches[i] = batches[j];
        batches[j] = t;
      }
    }
    return new PairBatches(lanes, source.toArray(new int[0][]), target.toArray(new int[0][]), batches);
  }

  /** Pairs per full batch. */
  @Override
  public int lanes() {
    return lanes;
  }

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
    int[] all = batches[b];
    int from = Math.min(first, all.length);
    return Arrays.copyOfRange(all, from, Math.min(all.length, first + count));
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
