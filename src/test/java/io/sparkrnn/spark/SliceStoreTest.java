package io.sparkrnn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Reads that wait at the block's home: answered when the block is stored, or "absent" when the hold ends. */
class SliceStoreTest extends OnLocalSpark {
  @Test
  void aHeldReadIsAnsweredByTheBlockOrAfterItsHoldByAbsent() throws Exception {
    long hold = SliceStore.holdMs;
    SliceStore.holdMs = 300;
    try {
      long t0 = System.nanoTime();
      assertNull(getAll("gen-a", new int[] {0}, new String[] {"gen-a/x"}, true)[0]);
      double waitedMs = (System.nanoTime() - t0) / 1e6;
      assertTrue(waitedMs >= 250, "answered after " + waitedMs + " ms, before the hold ended");

      SliceStore.holdMs = 60_000;
      CompletableFuture<ByteBuffer[]> read = CompletableFuture.supplyAsync(() ->
          getAll("gen-a", new int[] {0, 1}, new String[] {"gen-a/y", "gen-a/z"}, true));
      Thread.sleep(100);
      assertTrue(!read.isDone(), "a read of blocks not stored yet waits");
      SliceStore.put("gen-a", 1, "gen-a/z", ByteBuffer.wrap(new byte[] {3, 4}));
      SliceStore.put("gen-a", 0, "gen-a/y", ByteBuffer.wrap(new byte[] {1, 2}));
      ByteBuffer[] got = read.get();
      assertEquals(2, got.length);
      assertArrayEquals(new byte[] {1, 2}, bytes(got[0]));
      assertArrayEquals(new byte[] {3, 4}, bytes(got[1]));
      assertNull(getAll("gen-a", new int[] {0}, new String[] {"gen-a/w"}, false)[0], "no wait: absent");
    } finally {
      SliceStore.holdMs = hold;
      SliceStore.forget(name -> name.startsWith("gen-a"));
    }
  }

  @Test
  void aReadOfPartsBringsThemAfterTheirCountAndIsNeverEmpty() {
    try {
      SliceStore.put("gen-b", 0, "gen-b/x", ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
      for (boolean wait : new boolean[] {false, true}) {
        ByteBuffer[] got = SliceStore.joinAll(SliceStore.requestAll("gen-b", new int[] {0, 0}, new String[] {
            "gen-b/x", "gen-b/x"}, new int[][] {{1, 2, 6, 1}, {}}, wait));
        assertArrayEquals(new byte[] {2, 0, 0, 0, 2, 3, 7}, bytes(got[0]), "two parts, then their bytes");
        assertArrayEquals(new byte[] {0, 0, 0, 0}, bytes(got[1]), "no part: a count of 0, not absent");
      }
    } finally {
      SliceStore.forget(name -> name.startsWith("gen-b"));
    }
  }

  @Test
  void aReadAsksForNoRangeOrForTheWholeBlockDistinctly() {
    assertNull(SliceStore.rangesOf(ByteBuffer.allocate(0)), "nothing after the name: the whole block");
    assertArrayEquals(new int[0], SliceStore.rangesOf(SliceStore.rangesPayload(new int[0])));
    assertArrayEquals(new int[] {4, 8, 100, 12}, SliceStore.rangesOf(SliceStore.rangesPayload(new int[] {4, 8, 100,
        12})));
    assertNull(SliceStore.rangesPayload(null));
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  /** The reads sent at once and their replies, as the all-reduce's tasks send and wait for them. */
  private static java.nio.ByteBuffer[] getAll(String gen, int[] producers, String[] names, boolean wait) {
    return SliceStore.joinAll(SliceStore.requestAll(gen, producers, names, wait));
  }
}
