package io.sparkrnn.tasks;

import io.sparkrnn.math.Activation;
import io.sparkrnn.math.Init;
import io.sparkrnn.math.Rng;
import io.sparkrnn.nn.RnnLayer;
import io.sparkrnn.optim.Adam;

/**
 * The course's binary addition: a + b for 8-bit a, b with a + b < 256, read least significant bit
 * first, two input bits per step and one sum bit out per step (many-to-many; the carry must live in
 * the hidden state). A simple tanh RNN learns it; accuracy is exact sums on held-out pairs.
 */
public final class BinaryAddition {
  static final int BITS = 8;

  private BinaryAddition() {}

  /** Trains on random pairs, then returns the fraction of held-out pairs summed exactly. */
  public static double run(int hidden, int steps, long seed) {
    SequenceNet net = new SequenceNet(l -> new RnnLayer(l, "rnn", "_l0", 2, hidden, Activation.TANH), 2, false);
    float[] p = net.init(Init.XAVIER, 0, seed);
    TaskTrainer trainer = new TaskTrainer(net, p, new Adam(p.length, 0.9, 0.999, 1e-8), 5);
    Rng rng = new Rng(seed + 1);
    int batch = 32;
    float[] x = new float[BITS * batch * 2];
    int[] t = new int[BITS * batch];
    for (int s = 0; s < steps; s++) {
      int[] a = new int[batch];
      int[] b = new int[batch];
      for (int i = 0; i < batch; i++) {
        a[i] = rng.nextInt(128);
        b[i] = rng.nextInt(128);
        if (isHeldOut(a[i], b[i])) {
          i--; // draw again: held-out pairs are never trained on
        }
      }
      encode(a, b, x, t);
      trainer.stepClasses(x, BITS, batch, t, 2, 0.01f);
    }
    int correct = 0;
    int total = 0;
    for (int a = 0; a < 128; a++) {
      for (int b = 0; b < 128; b++) {
        if (isHeldOut(a, b)) {
          float[] xi = new float[BITS * 2];
          int[] ti = new int[BITS];
          encode(new int[] {a}, new int[] {b}, xi, ti);
          float[] y = net.forward(p, xi, BITS, 1);
          int sum = 0;
          for (int bit = 0; bit < BITS; bit++) {
            sum |= (y[bit * 2 + 1] > y[bit * 2] ? 1 : 0) << bit;
          }
          correct += sum == a + b ? 1 : 0;
          total++;
        }
      }
    }
    return correct / (double) total;
  }

  /** A fixed tenth of all pairs, kept out of training. */
  static boolean isHeldOut(int a, int b) {
    return (a * 131 + b * 71) % 10 == 0;
  }

  /** x (T, B, 2) bits of a and b, LSB first; t (T, B) bits of a + b. */
  static void encode(int[] a, int[] b, float[] x, int[] t) {
    int batch = a.length;
    for (int bit = 0; bit < BITS; bit++) {
      for (int i = 0; i < batch; i++) {
        x[(bit * batch + i) * 2] = (a[i] >> bit) & 1;
        x[(bit * batch + i) * 2 + 1] = (b[i] >> bit) & 1;
        t[bit * batch + i] = ((a[i] + b[i]) >> bit) & 1;
      }
    }
  }
}
