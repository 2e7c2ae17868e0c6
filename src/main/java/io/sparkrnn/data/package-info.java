/**
 * From text to training windows: the whitespace tokenizer with an end-of-sentence token, the
 * vocabulary, reading a local corpus, and the batchify layout that cuts one token stream into B
 * parallel streams read in truncated-BPTT windows.
 */
package io.sparkrnn.data;
