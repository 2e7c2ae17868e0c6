package io.sparkrnn.data;

import java.util.Arrays;

/** A growable int array: a corpus's ids without boxing (a boxed list would need ~5x the memory). */
public final class IntList {
  private int[] a = new int[1 << 12];
  private int n;

  public void add(int v) {
    if (n == a.length) {
      a = Arrays.copyOf(a, a.length * 2);
    }
    a[n++] = v;
  }

  public int size() {
    return n;
  }

  public int[] toArray() {
    return Arrays.copyOf(a, n);
  }
}
