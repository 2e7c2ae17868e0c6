package io.sparkrnn.train;

import io.sparkrnn.math.Init;
import io.sparkrnn.math.Rng;
import io.sparkrnn.nn.Attention;
import io.sparkrnn.nn.Seq2Seq;
import io.sparkrnn.nn.Seq2SeqSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An encoder–decoder: its {@link Seq2SeqSpec} and its source and target vocabularies. */
public record Seq2SeqCard(Seq2SeqSpec spec, List<String> sourceVocab, List<String> targetVocab)
    implements ModelCard {
  public static final String FAMILY = "seq2seq";
  public static final String SOURCE_FILE = "vocab.source.txt";
  public static final String TARGET_FILE = "vocab.target.txt";

  public Seq2SeqCard {
    sourceVocab = List.copyOf(sourceVocab);
    targetVocab = List.copyOf(targetVocab);
    if (sourceVocab.size() != spec.sourceVocab() || targetVocab.size() != spec.targetVocab()) {
      throw new IllegalArgumentException("vocabularies of " + sourceVocab.size() + " and " + targetVocab.size()
          + " words for a model of " + spec.sourceVocab() + " and " + spec.targetVocab());
    }
  }

  @Override
  public String family() {
    return FAMILY;
  }

  @Override
  public String shape() {
    Map<String, Object> k = new LinkedHashMap<>();
    k.put("cell", spec.cell());
    k.put("sourceVocab", spec.sourceVocab());
    k.put("targetVocab", spec.targetVocab());
    k.put("embed", spec.embed());
    k.put("hidden", spec.hidden());
    k.put("encoderLayers", spec.encoderLayers());
    k.put("decoderLayers", spec.decoderLayers());
    k.put("bidirectional", spec.bidirectional());
    k.put("attention", spec.attention().name());
    k.put("attnSize", spec.attnSize());
    return ModelCard.lines(k);
  }

  static Seq2SeqCard parse(String shape, Map<String, List<String>> vocabularies) {
    Map<String, String> k = ModelCard.keys(shape);
    Seq2SeqSpec spec = new Seq2SeqSpec(k.get("cell"), Integer.parseInt(k.get("sourceVocab")),
        Integer.parseInt(k.get("targetVocab")), Integer.parseInt(k.get("embed")), Integer.parseInt(k.get("hidden")),
        Integer.parseInt(k.get("encoderLayers")), Integer.parseInt(k.get("decoderLayers")),
        Boolean.parseBoolean(k.get("bidirectional")), Attention.Score.valueOf(k.get("attention")),
        Integer.parseInt(k.get("attnSize")));
    return new Seq2SeqCard(spec, vocabularies.get(SOURCE_FILE), vocabularies.get(TARGET_FILE));
  }

  @Override
  public Map<String, List<String>> vocabularies() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    out.put(SOURCE_FILE, sourceVocab);
    out.put(TARGET_FILE, targetVocab);
    return out;
  }

  @Override
  public float[] initParams(Init init, double scale, Rng rng) {
    return new Seq2Seq(spec).initParams(init, scale, rng);
  }

  @Override
  public String describe() {
    return String.format("%s encoder-decoder (%s%d+%d layers, %s attention), vocab %d -> %d", spec.cell().toUpperCase(
        java.util.Locale.ROOT), spec.bidirectional() ? "bidirectional " : "", spec.encoderLayers(),
        spec.decoderLayers(), spec.attention().name().toLowerCase(java.util.Locale.ROOT), spec.sourceVocab(),
        spec.targetVocab());
  }
}
