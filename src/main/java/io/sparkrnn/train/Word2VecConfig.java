package io.sparkrnn.train;

import io.sparkrnn.word2vec.Word2VecSpec;

/** The word2vec settings (see {@link Config#KEYS}); the rest of a run's settings are its {@link TrainConfig}. */
public record Word2VecConfig(boolean cbow, int window, int negative, double sample, double lr, int lanes,
    int syncWords, SparseRowSync.Merge merge) implements java.io.Serializable {

  public static Word2VecConfig from(Config c) {
    String method = c.get("word2vec.method");
    if (!method.equals("skipgram") && !method.equals("cbow")) {
      throw new IllegalArgumentException("word2vec.method must be skipgram or cbow, not '" + method + "'");
    }
    SparseRowSync.Merge merge = SparseRowSync.Merge.of(c.get("word2vec.merge"));
    return new Word2VecConfig(method.equals("cbow"), c.getInt("word2vec.window", 1),
        c.getInt("word2vec.negative", 1), c.getDouble("word2vec.sample", 0, 1),
        c.getDouble("word2vec.lr", Double.MIN_VALUE, 10), c.getInt("word2vec.lanes", 1),
        c.getInt("word2vec.syncWords", 1), merge);
  }

  /** The model for a vocabulary of {@code vocab} ids and model.embed dimensions. */
  public Word2VecSpec spec(TrainConfig cfg, int vocab) {
    return new Word2VecSpec(vocab, cfg.embed(), cbow, window, negative, sample);
  }
}
