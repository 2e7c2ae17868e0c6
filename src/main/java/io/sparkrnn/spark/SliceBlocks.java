package io.sparkrnn.spark;

import io.sparkrnn.math.Kernels;
import io.sparkrnn.math.Parallel;
import io.sparkrnn.train.FloatIo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.apache.spark.TaskContext;

/**
 * Ranges of floats exchanged between the tasks of an all-reduce step as blocks of {@link SliceStore}. A block's
 * name follows from what it holds (run, generation, step, sender, slice), and the partition that produces it
 * gives its home, so a task computes where a block it needs is; nothing travels through the driver. Values are
 * float32 little-endian (or bfloat16 for gradients when asked), read in place from a block of this JVM and over
 * Spark's transport from others.
 */
final class SliceBlocks {
  private SliceBlocks() {}

  /**
   * A block of generation {@code gen} produced by partition {@code producer}; a read of it brings only the values
   * {@code runs} when not null ((start, length) pairs of float32 values from its first, in order).
   */
  record Block(String gen, int producer, String name, int[] runs) {
    Block(String gen, int producer, String name) {
      this(gen, producer, name, null);
    }

    /** This block, read as its values {@code runs} only ({@link #getParts} takes them). */
    Block only(int[] runs) {
      return new Block(gen, producer, name, runs);
    }
  }

  /** The block of slice {@code slice} of the parameters of step {@code step}. */
  static Block params(String gen, long step, int slice) {
    return new Block(gen, slice, gen + "/w/" + step + "/" + slice);
  }

  /** The block that partition {@code from} sends to the owner of {@code slice}: its gradient sum over that slice. */
  static Block gradient(String gen, long step, int from, int slice) {
    return new Block(gen, from, gen + "/g/" + step + "/" + from + "/" + slice);
  }

  /** The block of partition {@code from}'s counts of step {@code step} (ok, loss, tokens, ...), for every owner. */
  static Block counts(String gen, long step, int from) {
    return new Block(gen, from, gen + "/t/" + step + "/" + from);
  }

  /** The block in which the owner of {@code slice} publishes its sum of squares of step {@code step}. */
  static Block norm(String gen, long step, int slice) {
    return new Block(gen, slice, gen + "/n/" + step + "/" + slice);
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
   * Puts what a read of {@code block.only(runs)} brought (from b's position) into dst at {@code base} + each run's
   * start. Returns its bytes.
   */
  static int getParts(ByteBuffer b, float[] dst, int base, int[] runs) {
    int bytes = b.remaining();
    if (b.getInt() != runs.length / 2) {
      throw new IllegalStateException("an all-reduce block read in parts came with a different count of parts");
    }
    for (int i = 0; i < runs.length; i += 2) {
      getRun(b, dst, base + runs[i], runs[i + 1], false, false);
    }
    return bytes;
  }

  /** The next n values of b (from its position, which moves past them) into dst[off, off+n), or added to it. */
  private static void getRun(ByteBuffer b, float[] dst, int off, int n, boolean bf16, boolean add) {
    getFloats(b.slice(b.position(), bytes(n, bf16)).order(ByteOrder.LITTLE_ENDIAN), dst, off, n, bf16, add);
    b.position(b.position() + bytes(n, bf16));
  }

  /** Bytes of {@link #putRuns} for {@code runs}. */
  static int runBytes(int[] runs, boolean bf16) {
    int values = 0;
    for (int i = 1; i < runs.length; i += 2) {
      values += runs[i];
    }
    return 4 + 4 * runs.length + bytes(values, bf16);
  }

  /**
   * Appends the parts {@code runs} ((start, length) pairs) of x: their count, their starts less {@code base} and
   * lengths, then their values (float32 or bfloat16). What is not in a run is zero and does not travel.
   */
  static void putRuns(ByteBuffer b, float[] x, int base, int[] runs, boolean bf16) {
    b.putInt(runs.length / 2);
    for (int i = 0; i < runs.length; i += 2) {
      b.putInt(runs[i] - base).putInt(runs[i + 1]);
    }
    for (int i = 0; i < runs.length; i += 2) {
      putFloats(b, x, runs[i], runs[i + 1], bf16);
    }
  }

  /**
   * Adds what {@link #putRuns} wrote (from b's position to its limit) into dst. Skipping the zeros between runs
   * gives the same floats as adding them: a sum that starts at +0 never becomes -0, and x + 0 = x for every other x.
   */
  static void addRuns(ByteBuffer b, float[] dst, boolean bf16) {
    int n = b.getInt();
    int[] runs = new int[2 * n];
    for (int i = 0; i < runs.length; i++) {
      runs[i] = b.getInt();
    }
    for (int i = 0; i < runs.length; i += 2) {
      int start = runs[i];
      int len = runs[i + 1];
      if (start < 0 || len < 0 || start > dst.length - len || b.remaining() < bytes(len, bf16)) {
        throw new IllegalStateException("an all-reduce block's part [" + start + ", +" + len + ") does not fit its"
            + " slice of " + dst.length + " values or its " + b.remaining() + " bytes");
      }
      getRun(b, dst, start, len, bf16, true);
    }
    if (b.hasRemaining()) {
      throw new IllegalStateException("an all-reduce block has " + b.remaining() + " bytes after its last part");
    }
  }

  /**
   * Stores what {@code buffer} holds from 0 to its position as block {@code id}, without a copy when its home is
   * this JVM (a heap buffer the caller keeps and may reuse once the block is removed).
   */
  static void put(Block id, ByteBuffer buffer) {
    SliceStore.put(id.gen(), id.producer(), id.name(), buffer.duplicate().flip().slice());
  }

  /** A fresh little-endian heap buffer for blocks of up to {@code bytes}. */
  static ByteBuffer buffer(int bytes) {
    return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * Hands block {@code id} to {@code reader} (a little-endian view from its first byte) and returns true, or
   * returns false at once when its home does not hold it (not yet, or lost with its executor).
   */
  static boolean read(Block id, java.util.function.Consumer<ByteBuffer> reader) {
    ByteBuffer b = SliceStore.get(id.gen(), id.producer(), id.name());
    if (b == null) {
      return false;
    }
    reader.accept(b);
    return true;
  }

  /**
   * Requests for blocks {@code ids}, all in flight at once (see {@link SliceStore#requestAll}); with {@code wait}
   * their homes hold the requests of blocks not there yet until they arrive. The caller goes on while the replies
   * come, and collects them with {@link Pending#read} or {@link Pending#await}.
   */
  static Pending request(List<Block> ids, boolean wait) {
    return new Pending(ids, ids.isEmpty() ? null : send(ids, wait));
  }

  /** Replies on their way; see {@link #request}. */
  static final class Pending {
    private final List<Block> ids;
    private final java.util.concurrent.CompletableFuture<ByteBuffer>[] replies;

    private Pending(List<Block> ids, java.util.concurrent.CompletableFuture<ByteBuffer>[] replies) {
      this.ids = ids;
      this.replies = replies;
    }

    /** The blocks asked for, in order. */
    List<Block> ids() {
      return ids;
    }

    /** The blocks (little-endian views from their first byte); null when one is missing (not there, or lost). */
    ByteBuffer[] read() {
      ByteBuffer[] b = replies();
      return java.util.Arrays.asList(b).contains(null) ? null : b;
    }

    /**
     * The blocks, once they all exist. The tasks of a barrier stage all run at once, so the blocks are on their
     * way: their homes hold the requests until they arrive. Reads that come back empty (a home could not be
     * reached, or held them for its whole hold) are sent again together after a pause; when a sibling task fails,
     * Spark kills this one, which ends the wait.
     */
    ByteBuffer[] await() {
      ByteBuffer[] b = replies();
      while (java.util.Arrays.asList(b).contains(null)) {
        TaskContext.get().killTaskIfInterrupted();
        java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
        List<Integer> missing = new java.util.ArrayList<>();
        for (int i = 0; i < b.length; i++) {
          if (b[i] == null) {
            missing.add(i);
          }
        }
        ByteBuffer[] again = SliceStore.joinAll(send(missing.stream().map(ids::get).toList(), true));
        for (int k = 0; k < again.length; k++) {
          b[missing.get(k)] = again[k];
        }
      }
      return b;
    }

    private ByteBuffer[] replies() {
      return replies == null ? new ByteBuffer[0] : SliceStore.joinAll(replies);
    }
  }

  private static java.util.concurrent.CompletableFuture<ByteBuffer>[] send(List<Block> ids, boolean wait) {
    String gen = ids.get(0).gen();
    int[] producers = new int[ids.size()];
    String[] names = new String[ids.size()];
    int[][] byteRanges = new int[ids.size()][];
    for (int i = 0; i < names.length; i++) {
      if (!ids.get(i).gen().equals(gen)) {
        throw new IllegalArgumentException("blocks of two generations in one read");
      }
      producers[i] = ids.get(i).producer();
      names[i] = ids.get(i).name();
      int[] runs = ids.get(i).runs();
      if (runs != null) {
        byteRanges[i] = new int[runs.length];
        for (int k = 0; k < runs.length; k++) {
          byteRanges[i][k] = 4 * runs[k];
        }
      }
    }
    return SliceStore.requestAll(gen, producers, names, byteRanges, wait);
  }

  /** Removes a block if its home holds it. */
  static void remove(Block id) {
    SliceStore.remove(id.gen(), id.producer(), id.name());
  }
}
