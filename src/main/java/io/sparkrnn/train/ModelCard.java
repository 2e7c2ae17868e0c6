package io.sparkrnn.train;

import io.sparkrnn.math.Init;
import io.sparkrnn.math.Rng;
import io.sparkrnn.word2vec.VectorTable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the driver loop and a checkpoint know of the model being trained, apart from its flat parameters: its
 * family ("lm", "seq2seq"), its shape as {@code key=value} lines and its vocabularies. Two cards that are equal
 * describe the same layout of the same parameters, so a checkpoint resumes only under an equal card. The family
 * and the shape are written to the checkpoint as text, so a new family needs no new checkpoint format.
 */
public interface ModelCard {
  String family();

  /** The shape, one {@code key=value} per line in a fixed order (the checkpoint's record of it). */
  String shape();

  /** The vocabularies in id order, by the name of the run-folder file they are written to. */
  Map<String, List<String>> vocabularies();

  /** Fresh parameters, as a run starts. */
  float[] initParams(Init init, double scale, Rng rng);

  /** The word vectors in {@code params}: a word2vec model's input vectors, a language model's embedding table. */
  default VectorTable wordVectors(float[] params) {
    throw new IllegalArgumentException("a model.family=" + family() + " model has no table of word vectors");
  }

  /** A few words for the log: the cell and the sizes that matter. */
  String describe();

  /** Entries for summary.json besides the parameter count (vocabulary sizes). */
  default Map<String, Object> summary() {
    Map<String, Object> out = new LinkedHashMap<>();
    vocabularies().forEach((file, words) -> out.put(file.replace(".txt", ""), words.size()));
    return out;
  }

  /** The card a checkpoint wrote, back from its family, shape and vocabularies. */
  static ModelCard read(String family, String shape, Map<String, List<String>> vocabularies) {
    return switch (family) {
      case LanguageModelCard.FAMILY -> LanguageModelCard.parse(shape, vocabularies);
      case Seq2SeqCard.FAMILY -> Seq2SeqCard.parse(shape, vocabularies);
      case Word2VecCard.FAMILY -> Word2VecCard.parse(shape, vocabularies);
      case TreeCard.FAMILY -> TreeCard.parse(shape, vocabularies);
      default -> throw new IllegalArgumentException("model family '" + family + "' is not known to this version");
    };
  }

  /** The model of a checkpoint to resume, as {@code type}; one sentence when it holds another family. */
  static <T extends ModelCard> T resumed(Checkpoint ck, Class<T> type, String family) {
    if (type.isInstance(ck.model())) {
      return type.cast(ck.model());
    }
    throw new IllegalArgumentException("the checkpoint holds a model.family=" + ck.model().family()
        + " model, but model.family=" + family);
  }

  /** The family a run trains (model.family): lm, seq2seq, word2vec or tree. */
  static String family(Config c) {
    String f = c.get("model.family");
    if (!List.of(LanguageModelCard.FAMILY, Seq2SeqCard.FAMILY, Word2VecCard.FAMILY, TreeCard.FAMILY).contains(f)) {
      throw new IllegalArgumentException("model.family must be lm, seq2seq, word2vec or tree, not '" + f + "'");
    }
    return f;
  }

  /** key=value lines to a map, in order. */
  static Map<String, String> keys(String shape) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : shape.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        out.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return out;
  }

  /** A map to key=value lines, in its order. */
  static String lines(Map<String, ?> keys) {
    StringBuilder b = new StringBuilder();
    keys.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
    return b.toString();
  }
}
