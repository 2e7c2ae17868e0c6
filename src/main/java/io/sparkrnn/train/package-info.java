/**
 * Training a language model: the typed configuration, the driver loop shared by in-process and
 * Spark training (sum, divide by tokens, clip, step), the in-process backend with one worker thread per
 * shard of streams, the binary checkpoint format, and the run folder with its metrics and report.
 */
package io.sparkrnn.train;
