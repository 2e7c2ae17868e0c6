/**
 * The distributed job: the corpus cut into cached partitions of contiguous streams, and per step a
 * broadcast of the parameters, forward/backward on every partition from the hidden state carried in
 * the executor, and a tree aggregation of gradient sums for the driver's update.
 */
package io.sparkrnn.spark;
