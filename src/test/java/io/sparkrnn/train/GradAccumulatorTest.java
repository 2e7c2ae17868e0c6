package io.sparkrnn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

class GradAccumulatorTest {
  private static GradAccumulator roundTrip(GradAccumulator a, int[] size) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(a);
    }
    size[0] = bytes.size();
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (GradAccumulator) in.readObject();
    }
  }

  @Test
  void serializationKeepsEveryValueAndShipsOnlyNonZeroRowsOfTheSparseBlock() throws Exception {
    // 3 dense floats, a 100 x 4 sparse block with rows 7 and 42 set, 5 dense floats after it.
    GradAccumulator a = new GradAccumulator(3 + 400 + 5).sparseRows(3, 100, 4);
    for (int i = 0; i < a.grad.length; i++) {
      boolean inBlock = i >= 3 && i < 403;
      int row = (i - 3) / 4;
      a.grad[i] = !inBlock || row == 7 || row == 42 ? i * 0.5f - 1 : 0f;
    }
    a.loss = 12.5;
    a.tokens = 77;
    a.computeMs = 3;
    a.stateResets = 1;
    int[] size = new int[1];
    GradAccumulator b = roundTrip(a, size);
    assertArrayEquals(a.grad, b.grad);
    assertEquals(12.5, b.loss);
    assertEquals(77, b.tokens);
    assertEquals(1, b.stateResets);
    assertTrue(size[0] < 4 * 100, "serialized size " + size[0] + " bytes: the zero rows were shipped");
  }

  @Test
  void theWireFormAddsIntoAnotherAccumulatorAndRefusesAnotherModelSize() throws Exception {
    GradAccumulator a = new GradAccumulator(200_000).sparseRows(10, 1000, 100);
    a.grad[3] = 2;
    a.grad[10 + 5 * 100 + 7] = 3;
    a.grad[199_999] = 4;
    a.loss = 1.5;
    a.tokens = 9;
    java.nio.ByteBuffer wire = java.nio.ByteBuffer.allocate(a.maxEncodedBytes());
    a.encode(wire);
    wire.flip();
    assertTrue(wire.limit() < 4 * 200_000 - 4 * 98_000, wire.limit() + " bytes: zero rows were shipped");
    GradAccumulator b = new GradAccumulator(200_000);
    b.grad[3] = 1;
    b.tokens = 1;
    b.addEncoded(wire);
    b.addEncoded(wire);
    assertEquals(5f, b.grad[3]);
    assertEquals(6f, b.grad[517]);
    assertEquals(8f, b.grad[199_999]);
    assertEquals(19, b.tokens);
    assertEquals(3.0, b.loss);
    java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
        () -> new GradAccumulator(10).addEncoded(wire));
    assertTrue(e.getMessage().contains("does not fit a model of 10 parameters"), e.getMessage());
  }

  @Test
  void roundingToWirePrecisionEqualsATripThroughTheWire() throws Exception {
    GradAccumulator a = new GradAccumulator(1000).bf16(true);
    io.sparkrnn.math.Rng rng = new io.sparkrnn.math.Rng(2);
    for (int i = 0; i < a.grad.length; i++) {
      a.grad[i] = (float) rng.nextGaussian();
    }
    GradAccumulator shipped = roundTrip(a, new int[1]);
    float[] before = a.grad.clone();
    a.roundToWirePrecision();
    assertArrayEquals(shipped.grad, a.grad);
    assertTrue(!java.util.Arrays.equals(before, a.grad), "bf16 rounding changed nothing");
  }

  @Test
  void mergeAddsTheRightIntoTheLeftAndLeavesTheRightUnchanged() {
    GradAccumulator a = new GradAccumulator(3);
    GradAccumulator b = new GradAccumulator(3);
    a.grad[0] = 1;
    b.grad[0] = 2;
    b.grad[2] = 5;
    a.tokens = 3;
    b.tokens = 4;
    a.computeMs = 10;
    b.computeMs = 7;
    GradAccumulator c = a.merge(b);
    assertEquals(a, c);
    assertArrayEquals(new float[] {3, 0, 5}, a.grad);
    assertArrayEquals(new float[] {2, 0, 5}, b.grad);
    assertEquals(7, a.tokens);
    assertEquals(10, a.computeMs);
  }

  @Test
  void bf16ShipsHalfTheBytesWithinBf16Precision() throws Exception {
    GradAccumulator a = new GradAccumulator(10_000);
    io.sparkrnn.math.Rng rng = new io.sparkrnn.math.Rng(1);
    for (int i = 0; i < a.grad.length; i++) {
      a.grad[i] = (float) (rng.nextGaussian() * Math.pow(10, rng.nextInt(8) - 6));
    }
    int[] fp32 = new int[1];
    int[] bf16 = new int[1];
    roundTrip(a, fp32);
    GradAccumulator b = roundTrip(a.bf16(true), bf16);
    assertTrue(bf16[0] < 0.55 * fp32[0], bf16[0] + " vs " + fp32[0] + " bytes");
    for (int i = 0; i < a.grad.length; i++) {
      // 7 stored mantissa bits, rounded to nearest: relative error at most 2^-8.
      assertEquals(a.grad[i], b.grad[i], Math.abs(a.grad[i]) * 0x1p-8, "element " + i);
    }
  }
}
