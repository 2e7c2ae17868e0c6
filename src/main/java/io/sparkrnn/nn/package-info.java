/**
 * Layers over a model's single flat parameter vector: Embedding, RnnLayer, Lstm, Gru, Bidirectional,
 * Stack and Dense, with the losses. Each layer registers named views (PyTorch names and layouts) in a
 * {@link io.sparkrnn.nn.ParamLayout}, runs a whole time-major window forward into a reusable cache, and
 * adds its gradient into its slice of the flat gradient on the way back. Nothing here knows Spark.
 */
package io.sparkrnn.nn;
