package io.sparkrnn.math;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** Chunked passes cover every element exactly once and sum repeatably. */
class ParallelTest {
  @Test
  void everyElementOnceForSmallAndLargeLengths() {
    for (int n : new int[] {0, 1, 1000, (1 << 16) + 1, 3_000_017}) {
      AtomicIntegerArray seen = new AtomicIntegerArray(n);
      Parallel.forRanges(n, (from, to) -> {
        for (int i = from; i < to; i++) {
          seen.incrementAndGet(i);
        }
      });
      for (int i = 0; i < n; i++) {
        assertEquals(1, seen.get(i), "element " + i + " of " + n);
      }
    }
  }

  @Test
  void sumMatchesOnePassAndRepeatsExactly() {
    int n = 2_000_003;
    double expect = 0;
    for (int i = 0; i < n; i++) {
      expect += i % 7;
    }
    Parallel.RangeSum body = (from, to) -> {
      double s = 0;
      for (int i = from; i < to; i++) {
        s += i % 7;
      }
      return s;
    };
    double first = Parallel.sum(n, body);
    assertEquals(expect, first);
    for (int rep = 0; rep < 5; rep++) {
      assertEquals(first, Parallel.sum(n, body));
    }
  }
}
