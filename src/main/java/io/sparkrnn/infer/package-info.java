/**
 * Using a trained language model: next-word distributions after a prefix, and continuations by greedy
 * decoding, seeded sampling with temperature and top-k, or beam search with length normalisation.
 */
package io.sparkrnn.infer;
