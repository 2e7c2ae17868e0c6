package io.sparkrnn.nn;

/**
 * Two recurrent layers over the same input, one forward in time and one backward, outputs
 * concatenated per step as [forward (H) | backward (H)], as PyTorch's bidirectional=True does.
 * The backward layer is an ordinary layer run on each stream reversed within its length, so
 * padding stays after the real steps for both directions. State: [forward | backward].
 */
public final class Bidirectional implements Recurrent {
  private final Recurrent fwd;
  private final Recurrent bwd;

  public Bidirectional(Recurrent fwd, Recurrent bwd) {
    if (fwd.inputSize() != bwd.inputSize() || fwd.stateSize() != bwd.stateSize()
        || fwd.outputSize() != bwd.outputSize()) {
      throw new IllegalArgumentException("both directions must have the same sizes");
    }
    this.fwd = fwd;
    this.bwd = bwd;
  }

  final class BiCache extends Cache {
    final Cache fc;
    final Cache bc;
    final float[] fState;
    final float[] bState;
    final float[] xRev; // (T, B, in)
    final float[] out; // (T, B, 2H)
    final float[] dOut; // (T, B, H) one direction's output gradient
    final float[] dx; // (T, B, in)
    int[] lengths;

    BiCache(int steps, int batch) {
      super(steps, batch);
      this.fc = fwd.newCache(steps, batch);
      this.bc = bwd.newCache(steps, batch);
      this.fState = new float[batch * fwd.stateSize()];
      this.bState = new float[batch * bwd.stateSize()];
      this.xRev = new float[steps * batch * fwd.inputSize()];
      this.out = new float[steps * batch * 2 * fwd.outputSize()];
      this.dOut = new float[steps * batch * fwd.outputSize()];
      this.dx = new float[steps * batch * fwd.inputSize()];
    }

    @Override
    public void setLengths(int[] lengths) {
      this.lengths = lengths;
      fc.setLengths(lengths);
      bc.setLengths(lengths);
    }

    /** The time index that step t of stream b maps to when reversed within its length. */
    int mirror(int t, int b) {
      int len = lengths == null ? steps() : lengths[b];
      return t < len ? len - 1 - t : t;
    }
  }

  @Override
  public int inputSize() {
    return fwd.inputSize();
  }

  @Override
  public int outputSize() {
    return 2 * fwd.outputSize();
  }

  @Override
  public int stateSize() {
    return 2 * fwd.stateSize();
  }

  @Override
  public Cache newCache(int steps, int batch) {
    return new BiCache(steps, batch);
  }

  @Override
  public float[] forward(float[] p, float[] x, float[] state, Cache cache) {
    BiCache k = (BiCache) cache;
    int h = fwd.outputSize();
    int in = fwd.inputSize();
    int half = k.fState.length;
    System.arraycopy(state, 0, k.fState, 0, half);
    System.arraycopy(state, half, k.bState, 0, half);
    permuteRows(k, x, 0, in, k.xRev, 0, in, in, false);
    float[] yf = fwd.forward(p, x, k.fState, k.fc);
    float[] yb = bwd.forward(p, k.xRev, k.bState, k.bc);
    for (int r = 0; r < k.steps() * k.batch(); r++) {
      System.arraycopy(yf, r * h, k.out, r * 2 * h, h);
    }
    permuteRows(k, yb, 0, h, k.out, h, 2 * h, h, false);
    System.arraycopy(k.fState, 0, state, 0, half);
    System.arraycopy(k.bState, 0, state, half, half);
    return k.out;
  }

  @Override
  public float[] backward(float[] p, float[] gradOut, float[] gradState, Cache cache, float[] g) {
    BiCache k = (BiCache) cache;
    int h = fwd.outputSize();
    int in = fwd.inputSize();
    int half = k.fState.length;
    if (gradState != null) {
      System.arraycopy(gradState, 0, k.fState, 0, half);
      System.arraycopy(gradState, half, k.bState, 0, half);
    }
    for (int r = 0; r < k.steps() * k.batch(); r++) {
      System.arraycopy(gradOut, r * 2 * h, k.dOut, r * h, h);
    }
    float[] dxf = fwd.backward(p, k.dOut, gradState == null ? null : k.fState, k.fc, g);
    System.arraycopy(dxf, 0, k.dx, 0, k.dx.length);
    permuteRows(k, gradOut, h, 2 * h, k.dOut, 0, h, h, false);
    float[] dxb = bwd.backward(p, k.dOut, gradState == null ? null : k.bState, k.bc, g);
    permuteRows(k, dxb, 0, in, k.dx, 0, in, in, true);
    if (gradState != null) {
      System.arraycopy(k.fState, 0, gradState, 0, half);
      System.arraycopy(k.bState, 0, gradState, half, half);
    }
    return k.dx;
  }

  /**
   * For every (t, b): dst row mirror(t, b) = src row (t, b), n floats per row, rows strided by
   * srcStride/dstStride starting at srcOff/dstOff; added instead of copied when {@code add}.
   */
  private static void permuteRows(BiCache k, float[] src, int srcOff, int srcStride,
      float[] dst, int dstOff, int dstStride, int n, boolean add) {
    for (int t = 0; t < k.steps(); t++) {
      for (int b = 0; b < k.batch(); b++) {
        int s = srcOff + (t * k.batch() + b) * srcStride;
        int d = dstOff + (k.mirror(t, b) * k.batch() + b) * dstStride;
        if (add) {
          for (int j = 0; j < n; j++) {
            dst[d + j] += src[s + j];
          }
        } else {
          System.arraycopy(src, s, dst, d, n);
        }
      }
    }
  }
}
