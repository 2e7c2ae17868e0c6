package io.sparkrnn.train;

import io.sparkrnn.data.Vocab;
import io.sparkrnn.math.Init;
import io.sparkrnn.math.Rng;
import io.sparkrnn.word2vec.VectorTable;
import io.sparkrnn.word2vec.Word2VecSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** word2vec: its {@link Word2VecSpec} and its vocabulary (vocab.txt, the language model's layout of it). */
public record Word2VecCard(Word2VecSpec spec, List<String> vocab) implements ModelCard {
  public static final String FAMILY = "word2vec";
  static final String VOCAB_FILE = "vocab.txt";

  public Word2VecCard {
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
    k.put("vocab", spec.vocab());
    k.put("dim", spec.dim());
    k.put("method", spec.method());
    k.put("window", spec.window());
    k.put("negative", spec.negative());
    k.put("sample", spec.sample());
    return ModelCard.lines(k);
  }

  static Word2VecCard parse(String shape, Map<String, List<String>> vocabularies) {
    Map<String, String> k = ModelCard.keys(shape);
    Word2VecSpec spec = new Word2VecSpec(Integer.parseInt(k.get("vocab")), Integer.parseInt(k.get("dim")),
        k.get("method").equals("cbow"), Integer.parseInt(k.get("window")), Integer.parseInt(k.get("negative")),
        Double.parseDouble(k.get("sample")));
    return new Word2VecCard(spec, vocabularies.get(VOCAB_FILE));
  }

  @Override
  public Map<String, List<String>> vocabularies() {
    return Map.of(VOCAB_FILE, vocab);
  }

  /**
   * As the C tool starts: input vectors uniform in [−0.5, 0.5) / dim, output vectors zero ({@code init} and
   * {@code scale} are the language model's and do not apply).
   */
  @Override
  public float[] initParams(Init init, double scale, Rng rng) {
    float[] p = new float[spec.paramCount()];
    for (int i = 0; i < spec.vocab() * spec.dim(); i++) {
      p[i] = (float) ((rng.nextDouble() - 0.5) / spec.dim());
    }
    return p;
  }

  @Override
  public VectorTable wordVectors(float[] params) {
    return new VectorTable(vocab, java.util.Arrays.copyOf(params, spec.vocab() * spec.dim()), spec.dim());
  }

  @Override
  public String describe() {
    return String.format("word2vec %s, negative sampling (%d), window %d, %d dimensions, vocab %d (%s and %s not"
        + " trained)", spec.method(), spec.negative(), spec.window(), spec.dim(), spec.vocab(), Vocab.EOS, Vocab.UNK);
  }
}
