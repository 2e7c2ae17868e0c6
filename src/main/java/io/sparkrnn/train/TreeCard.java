package io.sparkrnn.train;

import io.sparkrnn.data.Tree;
import io.sparkrnn.data.TreeIds;
import io.sparkrnn.data.Vocab;
import io.sparkrnn.math.Activation;
import io.sparkrnn.math.Init;
import io.sparkrnn.math.Rng;
import io.sparkrnn.nn.TreeNet;
import io.sparkrnn.nn.TreeSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * A tree classifier: its {@link TreeSpec}, its vocabulary and how its trees are shaped (as read, or chains of
 * their tokens), so that evaluation and prediction read a line as training did.
 */
public record TreeCard(TreeSpec spec, List<String> vocab, boolean chain) implements ModelCard {
  public static final String FAMILY = "tree";
  static final String VOCAB_FILE = "vocab.txt";

  public TreeCard {
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
    k.put("classes", spec.classes());
    k.put("activation", spec.activation().name().toLowerCase(Locale.ROOT));
    k.put("shape", chain ? "chain" : "tree");
    return ModelCard.lines(k);
  }

  static TreeCard parse(String shape, Map<String, List<String>> vocabularies) {
    Map<String, String> k = ModelCard.keys(shape);
    TreeSpec spec = new TreeSpec(k.get("cell"), Integer.parseInt(k.get("vocab")), Integer.parseInt(k.get("embed")),
        Integer.parseInt(k.get("hidden")), Integer.parseInt(k.get("classes")), Activation.parse(k.get("activation")));
    return new TreeCard(spec, vocabularies.get(VOCAB_FILE), k.get("shape").equals("chain"));
  }

  /** How this model reads a tree: as a chain, binarised or as it is, its words as ids of the vocabulary. */
  public Function<Tree, TreeIds> encoder(boolean rootOnly) {
    Vocab v = new Vocab(vocab);
    return t -> TreeIds.of(chain ? t.chain() : spec.binary() ? t.binarised() : t, v, rootOnly);
  }

  @Override
  public Map<String, List<String>> vocabularies() {
    return Map.of(VOCAB_FILE, vocab);
  }

  @Override
  public float[] initParams(Init init, double scale, Rng rng) {
    return new TreeNet(spec).initParams(init, scale, rng);
  }

  @Override
  public String describe() {
    String cell = switch (spec.cell()) {
      case "rnn" -> "recursive network (" + spec.activation().name().toLowerCase(Locale.ROOT) + ")";
      case "treelstm" -> "binary Tree-LSTM";
      default -> chain ? "LSTM over the tokens (Child-Sum cell on chains)" : "Child-Sum Tree-LSTM";
    };
    return String.format("%s, embed %d, hidden %d, %d classes, vocab %d", cell, spec.embed(), spec.hidden(),
        spec.classes(), spec.vocab());
  }
}
