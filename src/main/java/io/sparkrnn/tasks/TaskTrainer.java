package io.sparkrnn.tasks;

import io.sparkrnn.nn.MeanSquaredError;
import io.sparkrnn.nn.SoftmaxCrossEntropy;
import io.sparkrnn.optim.GradClip;
import io.sparkrnn.optim.Optimizer;

/**
 * One minibatch step of an exercise: forward, loss (softmax cross-entropy over class targets, or
 * MSE over real targets), backward, divide by the count, clip, update. Returns the mean loss.
 */
final class TaskTrainer {
  private final SequenceNet net;
  private final float[] params;
  private final float[] grad;
  private final Optimizer opt;
  private final double clip;

  TaskTrainer(SequenceNet net, float[] params, Optimizer opt, double clip) {
    this.net = net;
    this.params = params;
    this.grad = new float[params.length];
    this.opt = opt;
    this.clip = clip;
  }

  double stepClasses(float[] x, int steps, int batch, int[] targets, int classes, float lr) {
    float[] y = net.forward(params, x, steps, batch);
    int rows = targets.length;
    double loss = SoftmaxCrossEntropy.forwardBackward(y, rows, classes, targets, true);
    return update(y, loss, SoftmaxCrossEntropy.count(targets, rows), lr);
  }

  double stepRegression(float[] x, int steps, int batch, float[] targets, float lr) {
    float[] y = net.forward(params, x, steps, batch);
    float[] dy = new float[y.length];
    double loss = MeanSquaredError.forwardBackward(y, targets, null, targets.length, 1, dy);
    return update(dy, loss, targets.length, lr);
  }

  private double update(float[] gradY, double loss, long count, float lr) {
    java.util.Arrays.fill(grad, 0f);
    net.backward(params, gradY, grad);
    GradClip.averageAndClip(grad, 1f / count, clip);
    opt.step(params, grad, lr);
    return loss / count;
  }
}
