package io.sparkrnn.ml;

/**
 * The column and top-k setters that {@link RnnLanguageModel} and {@link RnnLanguageModelModel} share, as Spark ML's
 * own stages share them through traits.
 */
interface ColumnSetters<T extends ColumnSetters<T>> {
  /** Sets the param of this name and returns the stage. */
  T setParam(String name, Object value);

  /** The column of token arrays (array&lt;string&gt;), one sentence per row; default "tokens". */
  default T setInputCol(String column) {
    return setParam(LmParams.INPUT_COL, column);
  }

  default T setLogLikelihoodCol(String column) {
    return setParam(LmParams.LOG_LIKELIHOOD_COL, column);
  }

  default T setPerplexityCol(String column) {
    return setParam(LmParams.PERPLEXITY_COL, column);
  }

  default T setNumTokensCol(String column) {
    return setParam(LmParams.NUM_TOKENS_COL, column);
  }

  /** How many most likely next words transform adds (0: none, the default). */
  default T setTopK(int k) {
    return setParam(LmParams.TOP_K, k);
  }

  default T setNextWordsCol(String column) {
    return setParam(LmParams.NEXT_WORDS_COL, column);
  }
}
