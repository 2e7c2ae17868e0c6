package io.sparkrnn.nn;

import static io.sparkrnn.math.Counters.mix;
import static io.sparkrnn.math.Counters.uniform;

/**
 * The dropout masks of one training step, drawn from a counter-based generator ({@link io.sparkrnn.math.Counters}):
 * every mask value is a hash of (seed, step, site, layer, global stream number, time step, feature), never a draw
 * from a sequential generator.
 * Which executor, thread or partition computes a stream therefore does not change its masks, so Spark with any
 * partitioning equals the in-process trainer, and a resumed run draws the masks the uninterrupted one drew.
 * Embedding rows and DropConnect weights are keyed without the stream: every stream of a step sees the same
 * dropped words and weights, as in AWD-LSTM.
 */
public record Noise(Regularization reg, long seed, long step, int firstStream) {
  static final int INPUT = 1;
  static final int HIDDEN = 2;
  static final int OUTPUT = 3;
  static final int EMBEDDING = 4;
  static final int WEIGHT = 5;

  /**
   * A dropout mask (T, B, F) for site and layer: each value 0 with probability {@code rate}, else 1 / (1 − rate);
   * with locked dropout the same (B, F) mask at every step of the window.
   */
  void fill(float[] mask, int site, int layer, double rate, int steps, int batch, int features) {
    float keep = (float) (1 / (1 - rate));
    long key = key(site, layer);
    int plane = batch * features;
    for (int t = 0; t < steps; t++) {
      if (reg.locked() && t > 0) {
        System.arraycopy(mask, 0, mask, t * plane, plane);
        continue;
      }
      for (int b = 0; b < batch; b++) {
        long k = mix(mix(key + firstStream + b) + (reg.locked() ? 0 : t + 1));
        int base = t * plane + b * features;
        for (int f = 0; f < features; f++) {
          mask[base + f] = uniform(k, f) >= rate ? keep : 0f;
        }
      }
    }
  }

  /** Embedding dropout: the factor of word {@code id} in this step, 0 or 1 / (1 − rate). */
  float wordScale(int id) {
    return uniform(key(EMBEDDING, 0), id) >= reg.embedding() ? (float) (1 / (1 - reg.embedding())) : 0f;
  }

  /** DropConnect: n mask values of weight tensor {@code tensor} into mask[off, off + n). */
  void fillWeights(float[] mask, int off, int n, int tensor) {
    double rate = reg.weight();
    float keep = (float) (1 / (1 - rate));
    long k = key(WEIGHT, tensor);
    for (int i = 0; i < n; i++) {
      mask[off + i] = uniform(k, i) >= rate ? keep : 0f;
    }
  }

  private long key(int site, int layer) {
    return mix(mix(mix(seed) + step) + site * 0x100000000L + layer);
  }
}
