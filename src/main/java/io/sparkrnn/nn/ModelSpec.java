package io.sparkrnn.nn;

import io.sparkrnn.math.Activation;
import java.util.ArrayList;
import java.util.List;

/**
 * The shape of a word-level language model: embedding, a stack of recurrent layers, an output layer over the
 * vocabulary: the full softmax when {@code cutoffs} is empty, else the adaptive softmax cut there (see
 * {@link AdaptiveSoftmax}; tail cluster i projects to hidden / tailDiv^(i+1) features). {@code activation}
 * applies to the simple RNN only and {@code peephole} to the LSTM only. {@code tie}: the full softmax's weight is
 * the embedding table (see {@link FullSoftmax}).
 */
public record ModelSpec(String cell, int vocab, int embed, int hidden, int layers, boolean peephole,
    Activation activation, List<Integer> cutoffs, int tailDiv, boolean tie) implements java.io.Serializable {

  /** A model with the full softmax. */
  public ModelSpec(String cell, int vocab, int embed, int hidden, int layers, boolean peephole,
      Activation activation) {
    this(cell, vocab, embed, hidden, layers, peephole, activation, List.of(), 4, false);
  }

  /** A model whose output layer has weights of its own. */
  public ModelSpec(String cell, int vocab, int embed, int hidden, int layers, boolean peephole,
      Activation activation, List<Integer> cutoffs, int tailDiv) {
    this(cell, vocab, embed, hidden, layers, peephole, activation, cutoffs, tailDiv, false);
  }

  /** This shape with the output layer tied to the embedding or not. */
  public ModelSpec tied(boolean tied) {
    return new ModelSpec(cell, vocab, embed, hidden, layers, peephole, activation, cutoffs, tailDiv, tied);
  }

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
    cutoffs = List.copyOf(cutoffs);
    if (tie && !cutoffs.isEmpty()) {
      throw new IllegalArgumentException("model.tie ties the full softmax to the embedding; it cannot be used with"
          + " model.softmax=adaptive");
    }
    if (!cutoffs.isEmpty()) {
      if (tailDiv < 1) {
        throw new IllegalArgumentException("model.tailDiv must be a positive integer, not " + tailDiv);
      }
      for (int i = 0; i < cutoffs.size(); i++) {
        int c = cutoffs.get(i);
        if (c <= (i == 0 ? 0 : cutoffs.get(i - 1)) || c >= vocab) {
          throw new IllegalArgumentException("model.cutoffs " + cutoffs + " must increase strictly and lie"
              + " between 0 and the vocabulary size " + vocab + " (exclusive)");
        }
        if (tailFeatures(hidden, tailDiv, i) < 1) {
          throw new IllegalArgumentException("tail cluster " + i + " of model.cutoffs " + cutoffs + " would"
              + " project to model.hidden / model.tailDiv^" + (i + 1) + " = 0 features; use fewer cutoffs or a"
              + " smaller model.tailDiv");
        }
      }
    }
  }

  public boolean adaptive() {
    return !cutoffs.isEmpty();
  }

  /**
   * Which part of the vocabulary holds word {@code id} for cutoffs c_0 < c_1 < ...: 0 for the head [0, c_0),
   * i + 1 for tail cluster i, [c_i, c_{i+1}).
   */
  public static int part(int id, int[] cutoffs) {
    int b = 0;
    while (b < cutoffs.length && id >= cutoffs[b]) {
      b++;
    }
    return b;
  }

  /** Features of tail cluster i: hidden / div^(i+1), rounded down (PyTorch's in_features // div_value^(i+1)). */
  public static int tailFeatures(int hidden, int div, int i) {
    long d = 1;
    for (int k = 0; k <= i && d <= hidden; k++) {
      d *= div;
    }
    return (int) (hidden / d);
  }

  /**
   * Cutoffs for a vocabulary of {@code vocab} words, most frequent first: a head of min(4000, V/4) words, then
   * 10,000 and 5 times further out each time, while below V and while the cluster projects to at least 4
   * features ([3528, 10000] for Brown's 14,115 words; [4000, 10000, 50000] for 200,000). On Brown a head of 2000
   * words cost 4.4 % test perplexity against the full softmax, 4000 words 1.1 % (the README's cutoff table).
   */
  public static List<Integer> defaultCutoffs(int vocab, int hidden, int div) {
    List<Integer> out = new ArrayList<>();
    for (long c = Math.max(1, Math.min(4000, vocab / 4)); c < vocab && tailFeatures(hidden, div, out.size()) >= 4;
        c = c < 10_000 ? 10_000 : c * 5) {
      out.add((int) c);
    }
    return out;
  }

  /** The output layer, its tensors registered in {@code layout} after the recurrent stack's; tied to {@code table}. */
  OutputLayer buildOutput(ParamLayout layout, ParamLayout.View table) {
    return adaptive() ? new AdaptiveSoftmax(layout, hidden, vocab, cutoffs, tailDiv)
        : tie ? new FullSoftmax(layout, hidden, table) : new FullSoftmax(layout, hidden, vocab);
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
