package io.sparkrnn.nn;

import io.sparkrnn.data.TreeIds;
import java.util.List;

/**
 * A batch of trees of any shapes scheduled by height: every node gets a batch-wide number such that the nodes of
 * height 0 (the leaves of all trees) come first, then those of height 1, and so on. The nodes of one level are then
 * a contiguous block of rows, their children all in lower levels, so a tree layer runs one matrix product per
 * level over the whole batch, forward bottom-up and backward top-down.
 *
 * <pre>
 *   trees  [MAX 2 [MIN 4 7 ] ]   and   [SM 1 3 ]
 *   level 0: 2 4 7 1 3      (rows 0-4)
 *   level 1: [MIN  [SM      (rows 5-6)
 *   level 2: [MAX           (row 7)
 * </pre>
 * (The trees as read, as the Child-Sum cell reads them; the binary cells read them binarised.) The children of node
 * j are {@code children[childStart[j] .. childStart[j+1])} in reading order; the edges of a
 * level's nodes are therefore contiguous too, and {@code edgeParent[e]} is the node edge e hangs from.
 */
public final class TreeSchedule {
  final int nodes;
  final int[] levelStart; // (L + 1)
  final int[] words; // (N) word id or -1
  final int[] labels; // (N) class or -1
  final int[] childStart; // (N + 1)
  final int[] children; // (N - trees)
  final int[] edgeParent; // (N - trees)
  final int[] roots; // (trees)

  private TreeSchedule(int nodes, int[] levelStart, int[] words, int[] labels, int[] childStart, int[] children,
      int[] edgeParent, int[] roots) {
    this.nodes = nodes;
    this.levelStart = levelStart;
    this.words = words;
    this.labels = labels;
    this.childStart = childStart;
    this.children = children;
    this.edgeParent = edgeParent;
    this.roots = roots;
  }

  public static TreeSchedule of(List<TreeIds> trees) {
    int total = 0;
    int maxHeight = 0;
    int[][] heights = new int[trees.size()][];
    for (int t = 0; t < trees.size(); t++) {
      TreeIds tree = trees.get(t);
      int[] h = new int[tree.nodes()];
      // Post-order: a node's children come before it, so their heights are final when it is reached.
      for (int i = 0; i < h.length; i++) {
        int p = tree.parents()[i];
        if (p >= 0) {
          h[p] = Math.max(h[p], h[i] + 1);
        }
        maxHeight = Math.max(maxHeight, h[i]);
      }
      heights[t] = h;
      total += h.length;
    }
    int[] levelStart = new int[maxHeight + 2];
    for (int[] h : heights) {
      for (int x : h) {
        levelStart[x + 1]++;
      }
    }
    for (int l = 1; l < levelStart.length; l++) {
      levelStart[l] += levelStart[l - 1];
    }
    int[] next = levelStart.clone();
    int[][] ids = new int[trees.size()][];
    int[] words = new int[total];
    int[] labels = new int[total];
    int[] kids = new int[total];
    int[] roots = new int[trees.size()];
    for (int t = 0; t < trees.size(); t++) {
      TreeIds tree = trees.get(t);
      ids[t] = new int[tree.nodes()];
      for (int i = 0; i < tree.nodes(); i++) {
        int id = next[heights[t][i]]++;
        ids[t][i] = id;
        words[id] = tree.words()[i];
        labels[id] = tree.labels()[i];
        if (tree.parents()[i] < 0) {
          roots[t] = id;
        }
      }
      for (int i = 0; i < tree.nodes(); i++) {
        if (tree.parents()[i] >= 0) {
          kids[ids[t][tree.parents()[i]]]++;
        }
      }
    }
    int[] childStart = new int[total + 1];
    for (int j = 0; j < total; j++) {
      childStart[j + 1] = childStart[j] + kids[j];
    }
    int[] fill = java.util.Arrays.copyOf(childStart, total);
    int[] children = new int[total - trees.size()];
    int[] edgeParent = new int[children.length];
    for (int t = 0; t < trees.size(); t++) {
      TreeIds tree = trees.get(t);
      for (int i = 0; i < tree.nodes(); i++) { // in post-order, so each parent's children arrive in reading order
        if (tree.parents()[i] >= 0) {
          int parent = ids[t][tree.parents()[i]];
          edgeParent[fill[parent]] = parent;
          children[fill[parent]++] = ids[t][i];
        }
      }
    }
    return new TreeSchedule(total, levelStart, words, labels, childStart, children, edgeParent, roots);
  }

  /** Nodes in the batch. */
  public int nodes() {
    return nodes;
  }

  public int levels() {
    return levelStart.length - 1;
  }

  public int trees() {
    return roots.length;
  }

  /** The most children any node has. */
  int maxChildren() {
    int max = 0;
    for (int j = 0; j < nodes; j++) {
      max = Math.max(max, childStart[j + 1] - childStart[j]);
    }
    return max;
  }

  /** Refuses a node of more than two children (a binary cell reads binarised trees). */
  void requireBinary() {
    if (maxChildren() > 2) {
      throw new IllegalArgumentException("a binary tree cell got a node of " + maxChildren() + " children; it reads"
          + " binarised trees (Tree.binarised)");
    }
  }

  /** Node ids of the labelled nodes, in id order. */
  int[] labelled() {
    int n = 0;
    for (int l : labels) {
      n += l >= 0 ? 1 : 0;
    }
    int[] out = new int[n];
    n = 0;
    for (int j = 0; j < nodes; j++) {
      if (labels[j] >= 0) {
        out[n++] = j;
      }
    }
    return out;
  }

  /**
   * out(n, 2H) = [h(first child); h(second child)] for the nodes [from, to), zeros for an absent child (binary
   * trees only).
   */
  void gatherPairs(int from, int to, float[] h, int hidden, float[] out) {
    java.util.Arrays.fill(out, 0, (to - from) * 2 * hidden, 0f);
    for (int j = from; j < to; j++) {
      for (int e = childStart[j], k = 0; e < childStart[j + 1]; e++, k++) {
        System.arraycopy(h, children[e] * hidden, out, ((j - from) * 2 + k) * hidden, hidden);
      }
    }
  }

  /** dH(child) += d(n, 2H) rows, the inverse of {@link #gatherPairs}. */
  void scatterPairs(int from, int to, float[] d, int hidden, float[] dH) {
    for (int j = from; j < to; j++) {
      for (int e = childStart[j], k = 0; e < childStart[j + 1]; e++, k++) {
        io.sparkrnn.math.Kernels.axpy(1f, d, ((j - from) * 2 + k) * hidden, dH, children[e] * hidden, hidden);
      }
    }
  }
}
