/**
 * Float32 numeric kernels: the row-major BLAS wrapper (the only caller of netlib), activations
 * with derivatives written from their outputs, a seeded generator whose state fits in a long,
 * and weight initialisers. Nothing here knows about layers or Spark.
 */
package io.sparkrnn.math;
