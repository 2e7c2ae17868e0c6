/** Scores of generated text against references: corpus BLEU as sacreBLEU computes it. */
package io.sparkrnn.metrics;
