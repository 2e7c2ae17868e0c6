package io.sparkrnn.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Trees (as ids) in batches of up to {@code lanes} trees of similar height and size ({@link BatchOrder}), so that
 * a batch's levels are full: the trees play the part of a language model's streams, and the sum over a step is
 * the same for any split of the lanes.
 */
public final class TreeBatches implements Lanes {
  private static final long serialVersionUID = 1L;
  private final int lanes;
  private final TreeIds[] trees;
  private final int[][] batches; // tree indices, lane order

  private TreeBatches(int lanes, TreeIds[] trees, int[][] batches) {
    this.lanes = lanes;
    this.trees = trees;
    this.batches = batches;
  }

  /** Batches of up to {@code lanes} trees; {@code shuffle}: the batch order drawn from {@code seed}. */
  public static TreeBatches of(List<TreeIds> trees, int lanes, boolean shuffle, long seed) {
    if (trees.isEmpty()) {
      throw new IllegalArgumentException("no trees");
    }
    int[] heights = new int[trees.size()];
    for (int i = 0; i < heights.length; i++) {
      heights[i] = trees.get(i).height();
    }
    int[][] batches = BatchOrder.batches(trees.size(), Comparator.<Integer>comparingInt(i -> heights[i])
        .thenComparingInt(i -> trees.get(i).nodes()), lanes, shuffle, seed);
    return new TreeBatches(lanes, trees.toArray(new TreeIds[0]), batches);
  }

  /** Trees per full batch. */
  @Override
  public int lanes() {
    return lanes;
  }

  @Override
  public int batches() {
    return batches.length;
  }

  public int trees() {
    return trees.length;
  }

  /** The trees of batch b in lanes [first, first + count) (fewer, or none, in a short last batch). */
  public List<TreeIds> lanes(int b, int first, int count) {
    List<TreeIds> out = new ArrayList<>();
    for (int i : BatchOrder.lanes(batches[b], first, count)) {
      out.add(trees[i]);
    }
    return out;
  }

  /** Only lanes [first, first + count) of every batch, with their trees (what one Spark partition holds). */
  @Override
  public TreeBatches keepLanes(int first, int count) {
    List<TreeIds> kept = new ArrayList<>();
    int[][] keptBatches = new int[batches.length][];
    for (int b = 0; b < batches.length; b++) {
      int[] ids = BatchOrder.lanes(batches[b], first, count);
      keptBatches[b] = new int[ids.length];
      for (int j = 0; j < ids.length; j++) {
        keptBatches[b][j] = kept.size();
        kept.add(trees[ids[j]]);
      }
    }
    return new TreeBatches(count, kept.toArray(new TreeIds[0]), keptBatches);
  }

  /** Labelled nodes: the examples the loss counts. */
  @Override
  public long tokens() {
    long n = 0;
    for (TreeIds t : trees) {
      n += t.labelled();
    }
    return n;
  }
}
