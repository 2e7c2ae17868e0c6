/**
 * The language model as a Spark ML {@code Estimator} and {@code Model}: fitted on a DataFrame column of token arrays
 * through the same training core as the command line, adding per-row log-likelihood, perplexity and next words, and
 * saved as a run folder that the commands also open.
 */
package io.sparkrnn.ml;
