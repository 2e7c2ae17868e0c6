package io.sparkrnn.math;

/**
 * A counter-based generator: every random value is a hash of a key and a counter, never a draw from a sequence.
 * What a value depends on is what its key names (seed, step, example, layer, position), so which thread,
 * executor or partition computes it does not change it, and a resumed run draws what the uninterrupted one drew.
 */
public final class Counters {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private Counters() {}

  /** Uniform in [0, 1) from the key and a counter, 24 bits (the resolution of a float in [0, 1)). */
  public static double uniform(long key, long i) {
    return (mix(key + (i + 1) * GOLDEN) >>> 40) * 0x1.0p-24;
  }

  /** 64 random bits from the key and a counter. */
  public static long bits(long key, long i) {
    return mix(key + (i + 1) * GOLDEN);
  }

  /** A key for the values of {@code part} under {@code key}: the key of a sub-stream. */
  public static long key(long key, long part) {
    return mix(key + (part + 1) * GOLDEN);
  }

  /** SplitMix64's finaliser: a bijection that scrambles every input bit into every output bit. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
