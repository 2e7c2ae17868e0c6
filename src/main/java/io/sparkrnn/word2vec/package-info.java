/**
 * word2vec (Mikolov et al. 2013): skip-gram and CBOW with negative sampling, the unigram^0.75 noise table,
 * subsampling of frequent words and the dynamic window, as the original C tool defines them. The objective that
 * trains it through the project's driver loop is {@link io.sparkrnn.train.Word2VecObjective}.
 */
package io.sparkrnn.word2vec;
