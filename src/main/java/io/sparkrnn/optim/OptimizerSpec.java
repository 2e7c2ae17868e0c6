package io.sparkrnn.optim;

import java.io.Serializable;

/**
 * An update rule and its hyper-parameters, without state: what an executor needs to build the optimizer of
 * its own slice or copy of the parameters (the all-reduce, local SGD).
 */
public record OptimizerSpec(String rule, double momentum, double beta1, double beta2, double eps)
    implements Serializable {
  /** A fresh optimizer for {@code size} parameters (moments zero, no steps taken). */
  public Optimizer create(int size) {
    return Optimizer.create(rule, size, momentum, beta1, beta2, eps);
  }
}
