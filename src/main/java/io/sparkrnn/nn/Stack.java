package io.sparkrnn.nn;

import java.util.List;

/**
 * N recurrent layers, each reading the previous one's outputs (PyTorch's num_layers). The state is
 * the layers' states one after the other: [layer 0 (B·s0) | layer 1 (B·s1) | ...].
 */
public final class Stack implements Recurrent {
  private final List<Recurrent> layers;

  public Stack(List<Recurrent> layers) {
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("a stack needs at least one layer");
    }
    for (int i = 1; i < layers.size(); i++) {
      if (layers.get(i).inputSize() != layers.get(i - 1).outputSize()) {
        throw new IllegalArgumentException("layer " + i + " reads " + layers.get(i).inputSize()
            + " features but layer " + (i - 1) + " writes " + layers.get(i - 1).outputSize());
      }
    }
    this.layers = List.copyOf(layers);
  }

  public List<Recurrent> layers() {
    return layers;
  }

  static final class StackCache extends Cache {
    final Cache[] caches;
    final float[][] states; // per layer (B, s_l)
    /** Dropout masks (T, B, in_l) on the input of layer l ≥ 1, null where none; see {@link #dropBetween}. */
    final float[][] masks;
    final float[][] dropped; // the masked inputs, kept for backward

    StackCache(List<Recurrent> layers, int steps, int batch) {
      super(steps, batch);
      this.caches = new Cache[layers.size()];
      this.states = new float[layers.size()][];
      this.masks = new float[layers.size()][];
      this.dropped = new float[layers.size()][];
      for (int l = 0; l < caches.length; l++) {
        caches[l] = layers.get(l).newCache(steps, batch);
        states[l] = new float[batch * layers.get(l).stateSize()];
      }
    }

    @Override
    public void setLengths(int[] lengths) {
      for (Cache c : caches) {
        c.setLengths(lengths);
      }
    }
  }

  @Override
  public int inputSize() {
    return layers.get(0).inputSize();
  }

  @Override
  public int outputSize() {
    return layers.get(layers.size() - 1).outputSize();
  }

  @Override
  public int stateSize() {
    int s = 0;
    for (Recurrent r : layers) {
      s += r.stateSize();
    }
    return s;
  }

  @Override
  public Cache newCache(int steps, int batch) {
    return new StackCache(layers, steps, batch);
  }

  /**
   * Sets the dropout masks of the next windows run with this cache: masks[l] (T, B, in_l) multiplies the input of
   * layer l ≥ 1, the previous layer's output; null (or a null entry) for none.
   */
  static void dropBetween(Cache cache, float[][] masks) {
    StackCache k = (StackCache) cache;
    for (int l = 1; l < k.masks.length; l++) {
      k.masks[l] = masks == null ? null : masks[l];
    }
  }

  @Override
  public float[] forward(float[] p, float[] x, float[] state, Cache cache) {
    StackCache k = (StackCache) cache;
    scatter(state, k.states);
    float[] in = x;
    for (int l = 0; l < layers.size(); l++) {
      float[] mask = k.masks[l];
      if (mask != null) { // a copy: the previous layer's output stays as its backward needs it
        k.dropped[l] = Tensors.ensure(k.dropped[l], mask.length);
        Tensors.multiply(in, mask, mask.length, k.dropped[l]);
        in = k.dropped[l];
      }
      in = layers.get(l).forward(p, in, k.states[l], k.caches[l]);
    }
    gather(k.states, state);
    return in;
  }

  @Override
  public float[] backward(float[] p, float[] gradOut, float[] gradState, Cache cache, float[] g) {
    StackCache k = (StackCache) cache;
    if (gradState != null) {
      scatter(gradState, k.states);
    }
    float[] grad = gradOut;
    for (int l = layers.size() - 1; l >= 0; l--) {
      grad = layers.get(l).backward(p, grad, gradState == null ? null : k.states[l], k.caches[l], g);
      if (k.masks[l] != null) { // grad belongs to layer l's cache, free to scale in place
        Tensors.multiply(grad, k.masks[l], k.masks[l].length, grad);
      }
    }
    if (gradState != null) {
      gather(k.states, gradState);
    }
    return grad;
  }

  private static void scatter(float[] all, float[][] parts) {
    int off = 0;
    for (float[] part : parts) {
      System.arraycopy(all, off, part, 0, part.length);
      off += part.length;
    }
  }

  private static void gather(float[][] parts, float[] all) {
    int off = 0;
    for (float[] part : parts) {
      System.arraycopy(part, 0, all, off, part.length);
      off += part.length;
    }
  }
}
