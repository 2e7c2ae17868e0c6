package io.sparkrnn.data;

import java.util.ArrayList;
import java.util.List;

/**
 * One tree as token ids, its nodes in post-order (children before their parent, in reading order; the root last):
 * each node's word id (-1: none, an inner node of a binarised or Penn tree), class label (-1: none) and parent
 * (-1 for the root).
 */
public record TreeIds(int[] words, int[] labels, int[] parents) implements java.io.Serializable {
  public int nodes() {
    return words.length;
  }

  /** Edges on the longest path from the root down to a leaf. */
  public int height() {
    int[] h = new int[words.length];
    for (int i = 0; i < h.length; i++) { // post-order: children first
      if (parents[i] >= 0) {
        h[parents[i]] = Math.max(h[parents[i]], h[i] + 1);
      }
    }
    return h[h.length - 1];
  }

  /** Labelled nodes (what the loss counts). */
  public int labelled() {
    int n = 0;
    for (int l : labels) {
      n += l >= 0 ? 1 : 0;
    }
    return n;
  }

  /**
   * The ids of {@code t} over {@code vocab} (unknown words as {@code <unk>}); {@code rootOnly} keeps the root's
   * label alone.
   */
  public static TreeIds of(Tree t, Vocab vocab, boolean rootOnly) {
    List<int[]> nodes = new ArrayList<>(); // {word, label, parent}
    add(t, vocab, nodes);
    int n = nodes.size();
    int[] words = new int[n];
    int[] labels = new int[n];
    int[] parents = new int[n];
    for (int i = 0; i < n; i++) {
      words[i] = nodes.get(i)[0];
      labels[i] = rootOnly && i < n - 1 ? -1 : nodes.get(i)[1];
      parents[i] = nodes.get(i)[2];
    }
    return new TreeIds(words, labels, parents);
  }

  /** Appends t's nodes in post-order; returns t's index. Children's parent slots are set once t has its index. */
  private static int add(Tree t, Vocab vocab, List<int[]> nodes) {
    int[] kids = new int[t.children().size()];
    for (int k = 0; k < kids.length; k++) {
      kids[k] = add(t.children().get(k), vocab, nodes);
    }
    int me = nodes.size();
    nodes.add(new int[] {t.word() == null ? -1 : vocab.id(t.word()), t.label(), -1});
    for (int k : kids) {
      nodes.get(k)[2] = me;
    }
    return me;
  }
}
