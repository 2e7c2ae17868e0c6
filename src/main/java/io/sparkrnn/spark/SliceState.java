package io.sparkrnn.spark;

import io.sparkrnn.optim.Optimizer;
import io.sparkrnn.train.Shard;
import java.nio.ByteBuffer;

/**
 * What the all-reduce keeps of partition p between steps, as blocks named by (generation, step, p): its
 * parameter slice ({@link SliceBlocks#params}), the optimizer state of that slice and the carried hidden state
 * of its streams. Every step publishes the next version and removes the last, so the state never depends on
 * where a task runs: a task that lands on an executor without the partition's objects rebuilds them from the
 * blocks at the partition's home, and the driver gathers a checkpoint by reading them. Layouts (little-endian):
 * optimizer = (long steps, then each moment's n values); carried = (int next window, int length, the values).
 */
final class SliceState {
  private SliceState() {}

  static SliceBlocks.Block optimizer(String gen, long step, int p) {
    return new SliceBlocks.Block(gen, p, gen + "/o/" + step + "/" + p);
  }

  static SliceBlocks.Block carried(String gen, long step, int p) {
    return new SliceBlocks.Block(gen, p, gen + "/c/" + step + "/" + p);
  }

  static int optimizerBytes(Optimizer opt) {
    return 8 + 4 * opt.state().length * (opt.state().length == 0 ? 0 : opt.state()[0].length);
  }

  static void publishOptimizer(String gen, long step, int p, Optimizer opt, ByteBuffer buf) {
    buf.clear().putLong(opt.steps());
    for (float[] m : opt.state()) {
      SliceBlocks.putFloats(buf, m, 0, m.length, false);
    }
    SliceBlocks.put(optimizer(gen, step, p), buf);
  }

  /** Fills opt's moments and step count from the block; false when it is gone. */
  static boolean loadOptimizer(String gen, long step, int p, Optimizer opt) {
    int n = opt.state().length == 0 ? 0 : opt.state()[0].length;
    return SliceBlocks.read(optimizer(gen, step, p), b -> opt.setSteps(getMoments(b, opt.state(), 0, n)));
  }

  /** An optimizer block's n values of each moment into moments[m][at, at + n); returns its step count. */
  static long getMoments(ByteBuffer b, float[][] moments, int at, int n) {
    long steps = b.getLong();
    for (float[] m : moments) {
      SliceBlocks.getFloats(b.slice(b.position(), 4 * n).order(b.order()), m, at, n, false, false);
      b.position(b.position() + 4 * n);
    }
    return steps;
  }

  static void publishCarried(String gen, long step, int p, Shard shard, ByteBuffer buf) {
    float[] s = shard.state();
    buf.clear().putInt(shard.nextBatch()).putInt(s.length);
    SliceBlocks.putFloats(buf, s, 0, s.length, false);
    SliceBlocks.put(carried(gen, step, p), buf);
  }

  /** Sets the shard's carried state from the block; false when it is gone. */
  static boolean loadCarried(String gen, long step, int p, Shard shard) {
    float[] s = new float[shard.state().length];
    int[] next = {0};
    boolean found = SliceBlocks.read(carried(gen, step, p), b -> {
      next[0] = b.getInt();
      int n = b.getInt();
      SliceBlocks.getFloats(b.slice(b.position(), 4 * n).order(b.order()), s, 0, n, false, false);
    });
    if (found) {
      shard.restore(s, next[0]);
    }
    return found;
  }

  /** Driver side: the carried state block of partition p as (values, next window), or null when it is gone. */
  static Object[] readCarried(String gen, long step, int p) {
    Object[] out = new Object[2];
    boolean found = SliceBlocks.read(carried(gen, step, p), b -> {
      out[1] = b.getInt();
      float[] s = new float[b.getInt()];
      SliceBlocks.getFloats(b.slice(b.position(), 4 * s.length).order(b.order()), s, 0, s.length, false, false);
      out[0] = s;
    });
    return found ? out : null;
  }

  static void remove(String gen, long step, int p) {
    SliceBlocks.remove(optimizer(gen, step, p));
    SliceBlocks.remove(carried(gen, step, p));
  }
}
