package io.sparkrnn.data;

import java.util.ArrayList;
import java.util.List;

/**
 * A tree as read: a node has a word or not, a class label or not (-1), and children in order. A leaf has a word;
 * an inner node of a ListOps expression has one too (its operator, {@code [MAX}) and a closing token ({@code ]}),
 * an inner node of a Penn/SST tree has neither.
 *
 * <p>Models that compose exactly two children (the recursive network, the binary Tree-LSTM) read the
 * {@link #binarised} tree: an inner node's word, children and closing token become leaves folded from the left,
 * {@code ((([MAX 2) 9) 0) ]}, the ground-truth trees of the ListOps paper. The Child-Sum Tree-LSTM reads the tree
 * as it is: any number of children, the word as the node's input.
 */
public record Tree(String word, String close, int label, List<Tree> children) implements java.io.Serializable {
  public Tree {
    children = List.copyOf(children);
    if (children.isEmpty() && word == null) {
      throw new IllegalArgumentException("a leaf needs a word");
    }
  }

  public static Tree leaf(String word, int label) {
    return new Tree(word, null, label, List.of());
  }

  public boolean isLeaf() {
    return children.isEmpty();
  }

  /** Nodes in the tree. */
  public int size() {
    int n = 1;
    for (Tree c : children) {
      n += c.size();
    }
    return n;
  }

  /** Edges on the longest path down to a leaf (0 for a leaf). */
  public int height() {
    int h = -1;
    for (Tree c : children) {
      h = Math.max(h, c.height());
    }
    return h + 1;
  }

  /** The same tree with this label at the root. */
  public Tree withLabel(int newLabel) {
    return new Tree(word, close, newLabel, children);
  }

  /** The tokens in reading order: word, children, closing token. */
  public List<String> tokens() {
    List<String> out = new ArrayList<>();
    addTokens(out);
    return out;
  }

  private void addTokens(List<String> out) {
    if (word != null) {
      out.add(word);
    }
    for (Tree c : children) {
      c.addTokens(out);
    }
    if (close != null) {
      out.add(close);
    }
  }

  /**
   * Every node with at most two children: an inner node's items (its word as a leaf, its children binarised, its
   * closing token as a leaf) folded from the left, the node's label on the top of the fold. A node of one or two
   * children without word or closing token keeps its shape.
   */
  public Tree binarised() {
    if (isLeaf()) {
      return this;
    }
    List<Tree> items = new ArrayList<>();
    if (word != null) {
      items.add(leaf(word, -1));
    }
    for (Tree c : children) {
      items.add(c.binarised());
    }
    if (close != null) {
      items.add(leaf(close, -1));
    }
    if (items.size() <= 2) {
      return new Tree(null, null, label, items);
    }
    Tree t = new Tree(null, null, -1, List.of(items.get(0), items.get(1)));
    for (int i = 2; i < items.size(); i++) {
      t = new Tree(null, null, i + 1 == items.size() ? label : -1, List.of(t, items.get(i)));
    }
    return t;
  }

  /**
   * The tokens in reading order as a chain, this tree's label at its end: token t's node has token t-1's as its
   * only child. A tree cell over a chain reads the sequence one token per level, as a recurrent network does.
   */
  public Tree chain() {
    List<String> toks = tokens();
    Tree t = leaf(toks.get(0), -1);
    for (int i = 1; i < toks.size(); i++) {
      t = new Tree(toks.get(i), null, -1, List.of(t));
    }
    return t.withLabel(label);
  }

  /** The ListOps form, {@code [MAX 2 9 ]}, or the Penn form, {@code (3 (2 It) (3 good))}, as read. */
  @Override
  public String toString() {
    if (close != null || (word != null && !isLeaf())) {
      return String.join(" ", tokens());
    }
    StringBuilder b = new StringBuilder("(").append(label < 0 ? "X" : Integer.toString(label));
    if (isLeaf()) {
      b.append(' ').append(word);
    }
    for (Tree c : children) {
      b.append(' ').append(c);
    }
    return b.append(')').toString();
  }
}
