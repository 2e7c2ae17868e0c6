package io.sparkrnn.tasks;

import io.sparkrnn.math.Init;
import io.sparkrnn.math.Rng;
import io.sparkrnn.nn.Lstm;
import io.sparkrnn.optim.Adam;

/**
 * Next-value prediction of a noisy sine wave (regression with MSE, many-to-many): the input at step t
 * is sin(ω(t0+t)) plus noise, the target the clean value at t+1. The score is the MSE on fresh clean
 * windows; predicting the current value again would score about (ω·Δt)² / 2 ≈ 0.005.
 */
public final class SineWave {
  static final int T = 25;
  static final double OMEGA = 0.1;

  private SineWave() {}

  /** Trains an LSTM and returns the test MSE per prediction. */
  public static double run(int hidden, int steps, long seed) {
    SequenceNet net = new SequenceNet(l -> new Lstm(l, "rnn", "_l0", 1, hidden, false), 1, false);
    float[] p = net.init(Init.XAVIER, 0, seed);
    TaskTrainer trainer = new TaskTrainer(net, p, new Adam(p.length, 0.9, 0.999, 1e-8), 5);
    Rng rng = new Rng(seed + 1);
    int batch = 16;
    float[] x = new float[T * batch];
    float[] t = new float[T * batch];
    for (int s = 0; s < steps; s++) {
      sample(rng, batch, 0.05, x, t);
      trainer.stepRegression(x, T, batch, t, 0.005f);
    }
    Rng test = new Rng(seed + 99);
    int n = 64;
    float[] xt = new float[T * n];
    float[] tt = new float[T * n];
    sample(test, n, 0, xt, tt);
    float[] y = net.forward(p, xt, T, n);
    double se = 0;
    // The first steps see too little of the wave to know its phase; score the second half.
    for (int i = (T / 2) * n; i < T * n; i++) {
      se += (y[i] - tt[i]) * (y[i] - tt[i]);
    }
    return se / ((T - T / 2) * n);
  }

  private static void sample(Rng rng, int batch, double noise, float[] x, float[] t) {
    for (int b = 0; b < batch; b++) {
      double t0 = rng.nextDouble() * 2 * Math.PI / OMEGA;
      for (int s = 0; s < T; s++) {
        x[s * batch + b] = (float) (Math.sin(OMEGA * (t0 + s)) + noise * rng.nextGaussian());
        t[s * batch + b] = (float) Math.sin(OMEGA * (t0 + s + 1));
      }
    }
  }
}
