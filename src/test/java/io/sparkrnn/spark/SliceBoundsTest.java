package io.sparkrnn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The all-reduce's slices: equal expected traffic, so that an owner of rarely read embedding rows owns more. */
class SliceBoundsTest {
  @Test
  void withoutReadRatesTheSlicesHaveEqualLengths() {
    assertArrayEquals(new int[] {0, 2, 5, 7, 10}, SliceBounds.uniform(4, 10));
    assertArrayEquals(SliceBounds.uniform(3, 1000), SliceBounds.balanced(3, 1000, 10, 20, 4, null));
  }

  @Test
  void everySliceCarriesAboutTheSameWeight() {
    // 10 dense values, 100 rows of 4 read at 1 / (r + 1), 10 dense values.
    int n = 10 + 400 + 10;
    double[] rates = new double[100];
    for (int r = 0; r < rates.length; r++) {
      rates[r] = 1.0 / (r + 1);
    }
    for (int parts : new int[] {2, 3, 4, 7}) {
      int[] b = SliceBounds.balanced(parts, n, 10, 100, 4, rates);
      assertEquals(0, b[0]);
      assertEquals(n, b[parts]);
      double[] w = new double[parts];
      double total = 0;
      for (int p = 0; p < parts; p++) {
        assertTrue(b[p + 1] > b[p], "slice " + p + " is empty");
        for (int i = b[p]; i < b[p + 1]; i++) {
          double x = (i < 10 || i >= 410 ? 1 : rates[(i - 10) / 4]) + SliceBounds.UPDATE_WEIGHT;
          w[p] += x;
          total += x;
        }
      }
      for (int p = 0; p < parts; p++) {
        assertEquals(total / parts, w[p], 1 + SliceBounds.UPDATE_WEIGHT, "slice " + p + " of " + parts);
      }
      // The first slice, the dense values and the most read rows, is shorter than an equal cut.
      assertTrue(b[1] - b[0] < n / parts, java.util.Arrays.toString(b));
    }
  }
}
