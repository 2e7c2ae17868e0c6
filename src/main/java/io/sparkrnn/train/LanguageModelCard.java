package io.sparkrnn.train;

import io.sparkrnn.math.Activation;
import io.sparkrnn.math.Init;
import io.sparkrnn.math.Rng;
import io.sparkrnn.nn.LanguageModel;
import io.sparkrnn.nn.ModelSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A word-level language model: its {@link ModelSpec} and its vocabulary (vocab.txt). */
public record LanguageModelCard(ModelSpec spec, List<String> vocab) implements ModelCard {
  public static final String FAMILY = "lm";

  public LanguageModelCard {
    vocab = List.copyOf(vocab);
    if (vocab.size() != spec.vocab()) {
      throw new IllegalArgumentException("the vocabulary has " + vocab.size() + " words, the model " + spec.vocab());
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
    k.put("vocab", spec.vocab());
    k.put("embed", spec.embed());
    k.put("hidden", spec.hidden());
    k.put("layers", spec.layers());
    k.put("peephole", spec.peephole());
    k.put("activation", spec.activation().name());
    k.put("cutoffs", TrainConfig.cutoffsText(spec.cutoffs()));
    k.put("tailDiv", spec.tailDiv());
    k.put("tie", spec.tie());
    return ModelCard.lines(k);
  }

  static LanguageModelCard parse(String shape, Map<String, List<String>> vocabularies) {
    Map<String, String> k = ModelCard.keys(shape);
    List<Integer> cutoffs = new ArrayList<>();
    for (String c : k.getOrDefault("cutoffs", "").split(",")) {
      if (!c.isBlank()) {
        cutoffs.add(Integer.parseInt(c.trim()));
      }
    }
    ModelSpec spec = new ModelSpec(k.get("cell"), Integer.parseInt(k.get("vocab")), Integer.parseInt(k.get("embed")),
        Integer.parseInt(k.get("hidden")), Integer.parseInt(k.get("layers")), Boolean.parseBoolean(k.get("peephole")),
        Activation.valueOf(k.get("activation")), cutoffs, Integer.parseInt(k.get("tailDiv")),
        Boolean.parseBoolean(k.getOrDefault("tie", "false")));
    return new LanguageModelCard(spec, vocabularies.get("vocab.txt"));
  }

  @Override
  public Map<String, List<String>> vocabularies() {
    return Map.of("vocab.txt", vocab);
  }

  @Override
  public float[] initParams(Init init, double scale, Rng rng) {
    return new LanguageModel(spec).initParams(init, scale, rng);
  }

  @Override
  public String describe() {
    return spec.cell().toUpperCase(java.util.Locale.ROOT) + " language model, vocab " + spec.vocab();
  }
}
