package io.sparkrnn.train;

import io.sparkrnn.math.Activation;
import io.sparkrnn.math.Init;
import io.sparkrnn.math.Rng;
import io.sparkrnn.nn.LanguageModel;
import io.sparkrnn.nn.ModelSpec;
import io.sparkrnn.nn.ParamLayout;
import io.sparkrnn.word2vec.VectorTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A word-level language model: its {@link ModelSpec} and its vocabulary (vocab.txt); and, for a run that starts
 * from them, pretrained word vectors for its embedding table (model.embedFrom; null: none), which are not part of
 * the model's shape and are not checkpointed: the parameters they went into are.
 */
public record LanguageModelCard(ModelSpec spec, List<String> vocab, VectorTable embedFrom) implements ModelCard {
  public static final String FAMILY = "lm";
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LanguageModelCard.class);

  public LanguageModelCard {
    vocab = List.copyOf(vocab);
    if (vocab.size() != spec.vocab()) {
      throw new IllegalArgumentException("the vocabulary has " + vocab.size() + " words, the model " + spec.vocab());
    }
    if (embedFrom != null && embedFrom.dim() != spec.embed()) {
      throw new IllegalArgumentException("model.embedFrom has vectors of " + embedFrom.dim() + " dimensions but"
          + " model.embed is " + spec.embed() + "; set model.embed=" + embedFrom.dim());
    }
  }

  public LanguageModelCard(ModelSpec spec, List<String> vocab) {
    this(spec, vocab, null);
  }

  /**
   * The card of a run: with model.embedFrom set and no checkpoint to resume ({@code resuming} false), its vectors,
   * from a run folder (a word2vec run, or a language model's embedding) or a file in the word2vec text format.
   */
  public static LanguageModelCard forRun(ModelSpec spec, List<String> vocab, Config config, boolean resuming)
      throws java.io.IOException {
    String from = config.get("model.embedFrom");
    if (from.isEmpty() || resuming) {
      return new LanguageModelCard(spec, vocab);
    }
    if (java.nio.file.Files.isRegularFile(java.nio.file.Path.of(from))) {
      return new LanguageModelCard(spec, vocab, VectorTable.readText(java.nio.file.Path.of(from)));
    }
    try (RunFolder run = RunFolder.existing(from)) {
      Checkpoint ck = run.loadCheckpoint();
      return new LanguageModelCard(spec, vocab, ck.model().wordVectors(ck.params()));
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

  /**
   * Fresh parameters; with {@link #embedFrom}, the embedding rows of the words it has (as spelt, else in lower
   * case; not {@code </s>} and {@code <unk>}) are its vectors, the other rows stay as drawn.
   */
  @Override
  public float[] initParams(Init init, double scale, Rng rng) {
    LanguageModel model = new LanguageModel(spec);
    float[] p = model.initParams(init, scale, rng);
    if (embedFrom != null) {
      ParamLayout.View emb = model.layout().find("emb.weight");
      Map<String, Integer> rows = new java.util.HashMap<>();
      for (int i = embedFrom.words().size() - 1; i >= 0; i--) { // the first of equal words wins
        rows.put(embedFrom.words().get(i), i);
      }
      int found = 0;
      for (int id = 2; id < vocab.size(); id++) { // </s> and <unk>: word2vec does not train them
        Integer row = rows.get(vocab.get(id));
        row = row != null ? row : rows.get(vocab.get(id).toLowerCase(java.util.Locale.ROOT));
        if (row != null) {
          System.arraycopy(embedFrom.table(), row * spec.embed(), p, emb.offset() + id * spec.embed(), spec.embed());
          found++;
        }
      }
      LOG.info(String.format("Embedding: %,d of the %,d words start from model.embedFrom's vectors", found,
          vocab.size()));
    }
    return p;
  }

  @Override
  public VectorTable wordVectors(float[] params) {
    ParamLayout.View emb = new LanguageModel(spec).layout().find("emb.weight");
    return new VectorTable(vocab, java.util.Arrays.copyOfRange(params, emb.offset(), emb.end()), emb.cols());
  }

  @Override
  public String describe() {
    return spec.cell().toUpperCase(java.util.Locale.ROOT) + " language model, vocab " + spec.vocab();
  }
}
