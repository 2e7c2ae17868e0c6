package io.sparkrnn.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The gate kernels on the Vector API give the bits of the plain loops, over full vectors and a tail. */
class GateKernelsTest {
  private static float[] random(int n, Rng rng) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) rng.nextDouble();
    }
    return a;
  }

  @Test
  void vectorKernelsEqualThePlainLoopsToTheBit() {
    assertTrue(Kernels.vectorised(), "the tests run with the Vector API");
    Rng rng = new Rng(4);
    int n = 37; // two or more full vectors and a tail on any width
    float[] gates = random(3 * n, rng);
    float[] tanhC = random(n, rng);
    float[] dH = random(n, rng);
    float[] c = random(2 * n, rng);
    float[] dC = random(2 * n, rng);
    float[] dCPlain = dC.clone();
    float[] dGates = new float[3 * n];
    float[] dGatesPlain = new float[3 * n];
    GateKernels.cellBackward(gates, 0, n, 2 * n, tanhC, 0, dH, dC, 0, dGates, 0, n, 2 * n, n);
    GateKernels.cellBackward(0, gates, 0, n, 2 * n, tanhC, 0, dH, dCPlain, 0, dGatesPlain, 0, n, 2 * n, n);
    assertArrayEquals(dGatesPlain, dGates);
    float[] dF = new float[n];
    float[] dFPlain = new float[n];
    GateKernels.forgetBackward(dC, 0, c, n, gates, 0, dF, 0, n, n);
    GateKernels.forgetBackward(0, dCPlain, 0, c, n, gates, 0, dFPlain, 0, n, n);
    assertArrayEquals(dFPlain, dF);
    assertArrayEquals(dCPlain, dC);
    float[] y = random(n, rng);
    float[] yPlain = y.clone();
    GateKernels.addMul(gates, 1, c, 2, y, 0, n);
    GateKernels.addMul(0, gates, 1, c, 2, yPlain, 0, n);
    GateKernels.mul(y, 0, c, 3, y, 0, n);
    GateKernels.mul(0, yPlain, 0, c, 3, yPlain, 0, n);
    assertArrayEquals(yPlain, y);
  }
}
