package io.sparkrnn.math;

/**
 * Weight initialisers. For a weight of shape (fanOut, fanIn):
 * <ul>
 *   <li>Xavier/Glorot (Glorot and Bengio 2010): U(-a, a), a = sqrt(6 / (fanIn + fanOut)), for tanh and sigmoid;</li>
 *   <li>He (He et al. 2015): N(0, 2 / fanIn), for ReLU;</li>
 *   <li>uniform(-a, a) and normal(0, σ) with a chosen scale.</li>
 * </ul>
 */
public enum Init {
  UNIFORM, NORMAL, XAVIER, HE;

  /** Fills x[off, off+n) for a weight with the given fans; {@code scale} is a or σ for UNIFORM/NORMAL. */
  public void fill(float[] x, int off, int n, int fanIn, int fanOut, double scale, Rng rng) {
    for (int i = off; i < off + n; i++) {
      x[i] = switch (this) {
        case UNIFORM -> (float) ((2 * rng.nextDouble() - 1) * scale);
        case NORMAL -> (float) (rng.nextGaussian() * scale);
        case XAVIER -> (float) ((2 * rng.nextDouble() - 1) * Math.sqrt(6.0 / (fanIn + fanOut)));
        case HE -> (float) (rng.nextGaussian() * Math.sqrt(2.0 / fanIn));
      };
    }
  }

  public static Init parse(String name) {
    for (Init i : values()) {
      if (i.name().equalsIgnoreCase(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException("init must be uniform, normal, xavier or he, not '" + name + "'");
  }
}
