package io.sparkrnn.word2vec;

/**
 * The shape and method of a word2vec model. Its parameters are two tables of {@code vocab} rows by {@code dim}:
 * the input (word) vectors, rows [0, vocab), which are the word vectors a run exports, then the output (context)
 * vectors, rows [vocab, 2·vocab), which negative sampling scores against.
 */
public record Word2VecSpec(int vocab, int dim, boolean cbow, int window, int negative, double sample)
    implements java.io.Serializable {
  public Word2VecSpec {
    if (vocab < 2 || dim < 1 || window < 1 || negative < 1 || sample < 0) {
      throw new IllegalArgumentException("a word2vec model needs at least 2 words, 1 dimension, a window and a"
          + " negative sample of at least 1 and sample >= 0");
    }
    if (2L * vocab * dim > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(vocab + " words x " + dim + " dimensions x 2 tables do not fit one"
          + " parameter vector (at most " + Integer.MAX_VALUE + " floats); lower model.embed or vocab.maxSize");
    }
  }

  /** Rows of the two tables. */
  public int rows() {
    return 2 * vocab;
  }

  public int paramCount() {
    return rows() * dim;
  }

  /** The row of {@code word}'s output vector. */
  public int outputRow(int word) {
    return vocab + word;
  }

  public String method() {
    return cbow ? "cbow" : "skipgram";
  }
}
