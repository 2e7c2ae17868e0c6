package io.sparkrnn.nn;

import io.sparkrnn.math.Activation;
import java.util.ArrayList;
import java.util.List;

/**
 * The shape of a word-level language model: embedding, a stack of recurrent layers, a linear
 * output layer over the vocabulary. {@code activation} applies to the simple RNN only and
 * {@code peephole} to the LSTM only.
 */
public record ModelSpec(String cell, int vocab, int embed, int hidden, int layers, boolean peephole,
    Activation activation) implements java.io.Serializable {

  public ModelSpec {
    if (!List.of("lstm", "gru", "rnn").contains(cell)) {
      throw new IllegalArgumentException("model.cell must be lstm, gru or rnn, not '" + cell + "'");
    }
    if (vocab < 2) {
      throw new IllegalArgumentException("the vocabulary has " + vocab
          + " word(s); a language model needs at least 2 (is the corpus large enough for vocab.minCount?)");
    }
    positive("model.embed", embed);
    positive("model.hidden", hidden);
    positive("model.layers", layers);
  }

  private static void positive(String key, int v) {
    if (v <= 0) {
      throw new IllegalArgumentException(key + " must be a positive integer, not " + v);
    }
  }

  /** Builds the recurrent stack, registering its tensors in {@code layout} with PyTorch names. */
  public Recurrent buildRecurrent(ParamLayout layout) {
    List<Recurrent> stack = new ArrayList<>();
    for (int l = 0; l < layers; l++) {
      int in = l == 0 ? embed : hidden;
      String suffix = "_l" + l;
      stack.add(switch (cell) {
        case "lstm" -> new Lstm(layout, "rnn", suffix, in, hidden, peephole);
        case "gru" -> new Gru(layout, "rnn", suffix, in, hidden);
        default -> new RnnLayer(layout, "rnn", suffix, in, hidden, activation);
      });
    }
    return stack.size() == 1 ? stack.get(0) : new Stack(stack);
  }
}
