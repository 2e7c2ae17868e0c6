package io.sparkrnn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkrnn.train.FloatIo;
import io.sparkrnn.train.GradAccumulator;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The all-reduce's gradient blocks: only the parts that can be non-zero travel, and they add up as dense ones. */
class SliceBlocksTest {
  /** 3 dense floats, a 100 x 4 sparse block with rows 7, 8 and 42 touched, 5 dense floats after it. */
  private static GradAccumulator gradient() {
    GradAccumulator a = new GradAccumulator(3 + 400 + 5).sparseRows(3, 100, 4);
    for (int i = 0; i < a.grad.length; i++) {
      boolean inBlock = i >= 3 && i < 403;
      int row = (i - 3) / 4;
      if (!inBlock || row == 7 || row == 8 || row == 42) {
        a.grad[i] = (float) Math.sin(i) * 1e-3f;
      }
    }
    a.grad[3 + 42 * 4 + 1] = -0f; // a touched row may hold zeros of either sign
    return a;
  }

  @Test
  void aSliceTravelsAsItsDenseSpanAndTheTouchedRowsMerged() {
    GradAccumulator a = gradient();
    int[] rows = a.nonZeroRows();
    assertArrayEquals(new int[] {7, 8, 42}, rows);
    // [20, 300) cuts into the block: rows 7 and 8 touch, row 42 alone, nothing dense.
    assertArrayEquals(new int[] {31, 8, 171, 4}, a.runs(20, 300, rows));
    // [0, 40) holds the dense head and rows 7 and 8; [400, 408) the end of row 99 (zero) and the dense tail.
    assertArrayEquals(new int[] {0, 3, 31, 8}, a.runs(0, 40, rows));
    assertArrayEquals(new int[] {403, 5}, a.runs(400, 408, rows));
  }

  @Test
  void aParameterSliceReadInPartsFillsThosePartsOnly() {
    float[] slice = new float[20];
    for (int i = 0; i < slice.length; i++) {
      slice[i] = i + 0.5f;
    }
    ByteBuffer block = SliceBlocks.buffer(80);
    SliceBlocks.putFloats(block, slice, 0, slice.length, false);
    int[] runs = {2, 3, 10, 1};
    ByteBuffer reply = SliceStore.select(block.flip(), new int[] {8, 12, 40, 4}).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    float[] copy = new float[30];
    java.util.Arrays.fill(copy, -1f);
    assertEquals(4 + 16, SliceBlocks.getParts(reply, copy, 5, runs));
    for (int i = 0; i < copy.length; i++) {
      boolean read = i >= 7 && i < 10 || i == 15;
      assertEquals(read ? slice[i - 5] : -1f, copy[i], "value " + i);
    }
    assertThrows(IllegalStateException.class, () -> SliceBlocks.getParts(SliceStore.select(block.rewind(),
        new int[] {0, 4}).order(java.nio.ByteOrder.LITTLE_ENDIAN), copy, 0, runs), "another count of parts");
  }

  @Test
  void addingTheRunsGivesTheFloatsOfADenseAdd() {
    GradAccumulator a = gradient();
    int[] rows = a.nonZeroRows();
    for (boolean bf16 : new boolean[] {false, true}) {
      int from = 20;
      int to = 300;
      int[] runs = a.runs(from, to, rows);
      ByteBuffer b = SliceBlocks.buffer(SliceBlocks.runBytes(runs, bf16));
      SliceBlocks.putRuns(b, a.grad, from, runs, bf16);
      assertEquals(b.capacity(), b.position(), "runBytes is what putRuns writes");
      float[] sparse = new float[to - from];
      float[] dense = new float[to - from];
      for (int i = 0; i < dense.length; i++) { // a running sum: zeros, small values, one that cancels
        sparse[i] = dense[i] = i % 3 == 0 ? 0f : (float) Math.cos(i) * 1e-3f;
      }
      SliceBlocks.addRuns(b.flip(), sparse, bf16);
      for (int i = 0; i < dense.length; i++) {
        float g = a.grad[from + i];
        dense[i] += bf16 ? FloatIo.fromBf16(FloatIo.toBf16(g)) : g;
      }
      for (int i = 0; i < dense.length; i++) {
        assertEquals(Float.floatToRawIntBits(dense[i]), Float.floatToRawIntBits(sparse[i]), "value " + i);
      }
      assertTrue(b.limit() < (to - from) / 4 * 4, "the untouched rows did not travel: " + b.limit() + " bytes");
    }
  }

  @Test
  void aBlockWhosePartsDoNotFitItsSliceIsRefused() {
    ByteBuffer b = SliceBlocks.buffer(4 + 8 + 16);
    b.putInt(1).putInt(6).putInt(4).putFloat(1).putFloat(2).putFloat(3).putFloat(4);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> SliceBlocks.addRuns(b.flip(), new float[8], false));
    assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
  }
}
