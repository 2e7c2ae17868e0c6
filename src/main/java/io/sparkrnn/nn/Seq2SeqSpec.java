package io.sparkrnn.nn;

import java.util.List;

/**
 * The shape of an encoder–decoder with attention: source and target vocabularies, embedding size, an encoder of
 * {@code encoderLayers} (optionally bidirectional) LSTM or GRU layers, a decoder of {@code decoderLayers} of the
 * same cell with input feeding, and the attention score ({@code attnSize}: the additive score's hidden size).
 */
public record Seq2SeqSpec(String cell, int sourceVocab, int targetVocab, int embed, int hidden, int encoderLayers,
    int decoderLayers, boolean bidirectional, Attention.Score attention, int attnSize) implements java.io.Serializable {

  public Seq2SeqSpec {
    if (!List.of("lstm", "gru").contains(cell)) {
      throw new IllegalArgumentException("seq2seq.cell must be lstm or gru, not '" + cell + "'");
    }
    if (sourceVocab < 2 || targetVocab < 4) {
      throw new IllegalArgumentException("the vocabularies have " + sourceVocab + " source and " + targetVocab
          + " target words; is the parallel corpus large enough for vocab.minCount?");
    }
    for (var k : List.of(List.of("model.embed", embed), List.of("model.hidden", hidden),
        List.of("seq2seq.encoderLayers", encoderLayers), List.of("seq2seq.decoderLayers", decoderLayers),
        List.of("seq2seq.attnSize", attnSize))) {
      if ((Integer) k.get(1) <= 0) {
        throw new IllegalArgumentException(k.get(0) + " must be a positive integer, not " + k.get(1));
      }
    }
    if (attention == Attention.Score.DOT && bidirectional) {
      throw new IllegalArgumentException("seq2seq.attention=dot needs the encoder's outputs (2 x model.hidden when"
          + " seq2seq.bidirectional=true) to have the decoder's size; use general or additive, or a unidirectional"
          + " encoder");
    }
  }

  /** Features of the encoder's output at each source position. */
  public int encoderSize() {
    return bidirectional ? 2 * hidden : hidden;
  }
}
