package io.sparkrnn.nn;

import io.sparkrnn.math.Activation;
import java.util.List;

/**
 * The shape of a tree classifier: the cell ({@code rnn}, the course's recursive network; {@code treelstm}, the
 * binary Tree-LSTM; {@code childsum}, the Child-Sum Tree-LSTM), the vocabulary, embedding and hidden sizes, the
 * classes, and the recursive network's activation.
 */
public record TreeSpec(String cell, int vocab, int embed, int hidden, int classes, Activation activation)
    implements java.io.Serializable {
  public static final List<String> CELLS = List.of("rnn", "treelstm", "childsum");

  public TreeSpec {
    if (!CELLS.contains(cell)) {
      throw new IllegalArgumentException("model.cell must be rnn, treelstm or childsum for model.family=tree, not '"
          + cell + "'");
    }
    if (cell.equals("rnn") && embed != hidden) {
      throw new IllegalArgumentException("model.cell=rnn composes word vectors directly, so model.embed ("
          + embed + ") must equal model.hidden (" + hidden + ")");
    }
    if (activation == Activation.SIGMOID && cell.equals("rnn")) {
      throw new IllegalArgumentException("model.activation of the recursive network must be tanh or relu");
    }
    if (classes < 2) {
      throw new IllegalArgumentException("a tree classifier needs at least 2 classes, not " + classes);
    }
  }

  /** Whether the cell reads binarised trees. */
  public boolean binary() {
    return !cell.equals("childsum");
  }
}
