package io.sparkrnn.tasks;

import io.sparkrnn.math.Init;
import io.sparkrnn.math.Rng;
import io.sparkrnn.nn.Lstm;
import io.sparkrnn.optim.Adam;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Many-to-one classification of the 8x8 handwritten digits by scanning rows: 8 steps of 8 pixels
 * (scaled to [0, 1]), an LSTM, and a softmax over 10 classes read from the last step. Held out: every
 * fifth image (a fixed split of 360 test and 1,437 training images).
 */
public final class Digits {
  private Digits() {}

  /** Returns the held-out accuracy after {@code epochs} passes of minibatches of 32. */
  public static double run(Path csv, int hidden, int epochs, long seed) throws IOException {
    List<String> lines = Files.readAllLines(csv);
    int n = lines.size();
    float[][] images = new float[n][64];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      String[] f = lines.get(i).split(",");
      if (f.length != 65) {
        throw new IllegalArgumentException(csv + " line " + (i + 1) + " has " + f.length + " fields, not 65");
      }
      for (int j = 0; j < 64; j++) {
        images[i][j] = Integer.parseInt(f[j].trim()) / 16f;
      }
      labels[i] = Integer.parseInt(f[64].trim());
    }
    int[] train = java.util.stream.IntStream.range(0, n).filter(i -> i % 5 != 0).toArray();
    int[] test = java.util.stream.IntStream.range(0, n).filter(i -> i % 5 == 0).toArray();

    SequenceNet net = new SequenceNet(l -> new Lstm(l, "rnn", "_l0", 8, hidden, false), 10, true);
    float[] p = net.init(Init.XAVIER, 0, seed);
    TaskTrainer trainer = new TaskTrainer(net, p, new Adam(p.length, 0.9, 0.999, 1e-8), 5);
    Rng rng = new Rng(seed);
    int batch = 32;
    for (int e = 0; e < epochs; e++) {
      shuffle(train, rng);
      for (int start = 0; start + batch <= train.length; start += batch) {
        int[] idx = java.util.Arrays.copyOfRange(train, start, start + batch);
        trainer.stepClasses(rows(images, idx), 8, batch, pick(labels, idx), 10, 0.005f);
      }
    }
    float[] y = net.forward(p, rows(images, test), 8, test.length);
    int correct = 0;
    for (int i = 0; i < test.length; i++) {
      int best = 0;
      for (int c = 1; c < 10; c++) {
        if (y[i * 10 + c] > y[i * 10 + best]) {
          best = c;
        }
      }
      correct += best == labels[test[i]] ? 1 : 0;
    }
    return correct / (double) test.length;
  }

  /** (T = 8, B, 8): step t of stream b is row t of image b. */
  private static float[] rows(float[][] images, int[] idx) {
    int batch = idx.length;
    float[] x = new float[8 * batch * 8];
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < 8; t++) {
        System.arraycopy(images[idx[b]], t * 8, x, (t * batch + b) * 8, 8);
      }
    }
    return x;
  }

  private static int[] pick(int[] labels, int[] idx) {
    int[] out = new int[idx.length];
    for (int i = 0; i < idx.length; i++) {
      out[i] = labels[idx[i]];
    }
    return out;
  }

  private static void shuffle(int[] a, Rng rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
