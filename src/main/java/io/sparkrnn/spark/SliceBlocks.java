package io.sparkrnn.spark;

import io.sparkrnn.math.Kernels;
import io.sparkrnn.math.Parallel;
import io.sparkrnn.train.FloatIo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.storage.BlockData;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.BlockManager;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.storage.TempLocalBlockId;
import org.apache.spark.util.io.ChunkedByteBuffer;
import scala.Option;
import scala.reflect.ClassTag$;

/**
 * Ranges of floats exchanged between the tasks of an all-reduce step as blocks of the executors' block
 * managers. A block's name follows from what it holds (run, generation, step, sender, slice), so a task
 * computes the name of a block it needs and asks the block manager master where it is; nothing travels
 * through the driver but those location queries. Values are float32 little-endian (or bfloat16 for
 * gradients when asked), read from a block on the same executor in place and from others over Spark's block
 * transfer service.
 */
final class SliceBlocks {
  private SliceBlocks() {}

  /**
   * This thread's calls that ask the driver's block manager master (a put or remove, which report the block's
   * status, and a remote read, which looks the block up first) and the time of those that move no data (puts,
   * removes, lookups that found nothing): {calls, timed calls, nanoseconds}. A task resets and reads it
   * ({@link #controlCalls}); the count grows as P² per step over all tasks, and the driver serves them all.
   */
  private static final ThreadLocal<long[]> CONTROL = ThreadLocal.withInitial(() -> new long[3]);

  /** This thread's master calls since the last call of this method (see {@link #CONTROL}), and resets them. */
  static long[] controlCalls() {
    long[] c = CONTROL.get().clone();
    java.util.Arrays.fill(CONTROL.get(), 0);
    return c;
  }

  private static void countControl(long t0, boolean timed) {
    long[] c = CONTROL.get();
    c[0]++;
    if (timed) {
      c[1]++;
      c[2] += System.nanoTime() - t0;
    }
  }

  /** The block of slice {@code slice} of the parameters of step {@code step}. */
  static BlockId params(String gen, long step, int slice) {
    return id(gen + "/w/" + step + "/" + slice);
  }

  /** The block that partition {@code from} sends to the owner of {@code slice}: its gradient sum over that slice. */
  static BlockId gradient(String gen, long step, int from, int slice) {
    return id(gen + "/g/" + step + "/" + from + "/" + slice);
  }

  /** A block id from a name: the same name gives the same id in every JVM. */
  static BlockId named(String name) {
    return id(name);
  }

  private static BlockId id(String name) {
    return new TempLocalBlockId(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)));
  }

  /** The block in which the owner of {@code slice} publishes its sum of squares of step {@code step}. */
  static BlockId norm(String gen, long step, int slice) {
    return id(gen + "/n/" + step + "/" + slice);
  }

  /** Bytes for n values. */
  static int bytes(int n, boolean bf16) {
    return (bf16 ? 2 : 4) * n;
  }

  /** Appends x[off, off+n) to b as little-endian float32, or bfloat16. */
  static void putFloats(ByteBuffer b, float[] x, int off, int n, boolean bf16) {
    if (bf16) {
      for (int i = 0; i < n; i++) {
        b.putShort(FloatIo.toBf16(x[off + i]));
      }
    } else {
      b.asFloatBuffer().put(x, off, n);
      b.position(b.position() + 4 * n);
    }
  }

  /** Reads n values from b at its position into dst[off, off+n): added to what is there when {@code add}. */
  static void getFloats(ByteBuffer b, float[] dst, int off, int n, boolean bf16, boolean add) {
    if (b.remaining() != bytes(n, bf16)) {
      throw new IllegalStateException("an all-reduce block holds " + b.remaining() + " bytes of values, not the "
          + bytes(n, bf16) + " of its slice");
    }
    int at = b.position();
    if (bf16) {
      for (int i = 0; i < n; i++) {
        float v = FloatIo.fromBf16(b.getShort(at + 2 * i));
        dst[off + i] = add ? dst[off + i] + v : v;
      }
    } else if (add) {
      Parallel.forRanges(n, (from, to) -> Kernels.addFromBytes(b, at + 4 * from, dst, off + from, to - from));
    } else {
      b.asFloatBuffer().get(dst, off, n);
    }
  }

  /**
   * Stores what {@code buffer} holds from 0 to its position as block {@code id} of this executor, without a copy
   * (a heap buffer the caller keeps and may reuse once the block is removed). Throws when there is no room.
   */
  static void put(BlockId id, ByteBuffer buffer) {
    ByteBuffer b = buffer.duplicate().flip();
    long t0 = System.nanoTime();
    boolean stored = blocks().putBytes(id, new ChunkedByteBuffer(b.slice()), StorageLevel.MEMORY_ONLY_SER(), true,
        ClassTag$.MODULE$.Any());
    countControl(t0, true);
    if (!stored) {
      throw new IllegalStateException("executor " + SparkEnv.get().executorId() + " has no room in its block store"
          + " for an all-reduce block of " + b.limit() + " bytes; give executors more memory"
          + " (spark.executor.memory) or use spark.aggregation=driver");
    }
  }

  /** A fresh little-endian heap buffer for blocks of up to {@code bytes}. */
  static ByteBuffer buffer(int bytes) {
    return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * Hands block {@code id} to {@code reader} (a little-endian view from its first byte) and returns true, or
   * returns false at once when no executor holds it (lost with its executor).
   */
  static boolean read(BlockId id, java.util.function.Consumer<ByteBuffer> reader) {
    BlockManager bm = blocks();
    Option<BlockData> local = bm.getLocalBytes(id);
    if (local.isDefined()) {
      try {
        reader.accept(local.get().toByteBuffer().duplicate().order(ByteOrder.LITTLE_ENDIAN));
      } finally {
        bm.releaseLockAndDispose(id, local.get(), Option.apply(TaskContext.get()));
      }
      return true;
    }
    if (SparkEnv.get().conf().get("spark.master", "").startsWith("local")) {
      return false; // local mode: there is no other executor to ask
    }
    long t0 = System.nanoTime();
    Option<ChunkedByteBuffer> remote = bm.getRemoteBytes(id);
    countControl(t0, remote.isEmpty());
    if (remote.isEmpty()) {
      return false;
    }
    try {
      reader.accept(remote.get().toByteBuffer().order(ByteOrder.LITTLE_ENDIAN));
    } finally {
      remote.get().dispose();
    }
    return true;
  }

  /**
   * Waits until block {@code id} exists, then reads it as {@link #read} does. The tasks of a barrier stage all
   * run at once, so the block is on its way; when a sibling task fails, Spark kills this one, which ends the wait.
   * Polls from every 50 µs up to every 2 ms: Spark's own barrier() waits in steps of one second.
   */
  static void await(BlockId id, java.util.function.Consumer<ByteBuffer> reader) {
    long pause = 50_000;
    while (!read(id, reader)) {
      TaskContext.get().killTaskIfInterrupted();
      java.util.concurrent.locks.LockSupport.parkNanos(pause);
      pause = Math.min(2_000_000, 2 * pause);
    }
  }

  /** Removes a block this executor stored, if it is there (another thread may be removing it too). */
  static void remove(BlockId id) {
    BlockManager bm = blocks();
    if (bm.getStatus(id).isDefined()) {
      long t0 = System.nanoTime();
      try {
        bm.removeBlock(id, true);
        countControl(t0, true);
      } catch (Exception e) { // SparkException (undeclared): it was removed meanwhile
        if (bm.getStatus(id).isDefined()) {
          throw e;
        }
      }
    }
  }

  private static BlockManager blocks() {
    return SparkEnv.get().blockManager();
  }
}
