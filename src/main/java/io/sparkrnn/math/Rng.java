package io.sparkrnn.math;

/**
 * A seeded SplitMix64 generator whose whole state is one {@code long}, so a checkpoint can
 * save and restore it exactly (java.util.Random cannot expose its state).
 */
public final class Rng {
  private long state;

  public Rng(long seed) {
    this.state = seed;
  }

  public long state() {
    return state;
  }

  public void setState(long state) {
    this.state = state;
  }

  public long nextLong() {
    long z = (state += 0x9E3779B97F4A7C15L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Uniform in [0, 1). */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform in [0, n). */
  public int nextInt(int n) {
    if (n <= 0) {
      throw new IllegalArgumentException("bound must be positive, not " + n);
    }
    return (int) ((nextLong() >>> 33) % n);
  }

  /** Standard normal by Box-Muller (one value per call; simplicity over speed). */
  public double nextGaussian() {
    double u1 = 1.0 - nextDouble();
    double u2 = nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
  }
}
