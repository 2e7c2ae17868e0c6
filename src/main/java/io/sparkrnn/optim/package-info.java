/**
 * Update rules on the flat parameter vector (SGD with momentum, AdaGrad, RMSprop, Adam), global-norm
 * clipping and learning-rate schedules. Optimizer state has the layout of the parameters and lives only
 * on the driver; the gradient given to {@code step} is already averaged over tokens and clipped.
 */
package io.sparkrnn.optim;
