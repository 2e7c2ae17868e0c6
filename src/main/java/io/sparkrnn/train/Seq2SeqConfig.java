package io.sparkrnn.train;

import io.sparkrnn.nn.Attention;
import io.sparkrnn.nn.Seq2SeqSpec;
import java.util.Locale;

/** The seq2seq settings (see {@link Config#KEYS}); the rest of a run's settings are its {@link TrainConfig}. */
public record Seq2SeqConfig(String source, String target, int encoderLayers, int decoderLayers,
    boolean bidirectional, Attention.Score attention, int attnSize, int maxLength, int beam, double lengthPenalty)
    implements java.io.Serializable {

  public static Seq2SeqConfig from(Config c) {
    String score = c.get("seq2seq.attention");
    Attention.Score s;
    try {
      s = Attention.Score.valueOf(score.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("seq2seq.attention must be dot, general or additive, not '" + score + "'");
    }
    Seq2SeqConfig t = new Seq2SeqConfig(c.get("seq2seq.source"), c.get("seq2seq.target"),
        c.getInt("seq2seq.encoderLayers", 1), c.getInt("seq2seq.decoderLayers", 1),
        c.getBool("seq2seq.bidirectional"), s, c.getInt("seq2seq.attnSize", 0), c.getInt("seq2seq.maxLength", 1),
        c.getInt("seq2seq.beam", 1), c.getDouble("seq2seq.lengthPenalty", 0, 10));
    if (t.source.isEmpty() || t.target.isEmpty() || t.source.equals(t.target)) {
      throw new IllegalArgumentException("seq2seq.source and seq2seq.target must be two different file suffixes,"
          + " not '" + t.source + "' and '" + t.target + "'");
    }
    return t;
  }

  /** The model's shape for these vocabularies. */
  public Seq2SeqSpec spec(TrainConfig cfg, int sourceVocab, int targetVocab) {
    return new Seq2SeqSpec(cfg.cell(), sourceVocab, targetVocab, cfg.embed(), cfg.hidden(), encoderLayers,
        decoderLayers, bidirectional, attention, attnSize > 0 ? attnSize : cfg.hidden());
  }

  /** The source and target files of a split ({@code data.train} etc. without the suffix). */
  public String sourceFile(String split) {
    return split + "." + source;
  }

  public String targetFile(String split) {
    return split + "." + target;
  }
}
