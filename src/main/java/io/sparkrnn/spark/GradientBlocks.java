package io.sparkrnn.spark;

import io.sparkrnn.train.GradAccumulator;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.BlockManager;
import org.apache.spark.storage.BlockResult;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.storage.TaskResultBlockId;
import org.apache.spark.util.io.ChunkedByteBuffer;
import org.slf4j.LoggerFactory;
import scala.Option;
import scala.reflect.ClassTag$;

/**
 * A training task's gradient travels as a block of Spark's block manager instead of inside its task
 * result, the way Spark itself ships large results, minus the copies. On a cluster the task encodes the
 * gradient into a buffer kept for its partition and stores that buffer as the block
 * {@code taskresult_<attempt>} (no copy); the driver fetches it once over Spark's block transfer service
 * (authenticated and encrypted as Spark is configured), adds it straight into the step's sum and removes
 * it. In local mode the executor shares the driver's JVM and block manager: the task stores its
 * accumulator object as the block and the driver adds it in place, so nothing is encoded or copied.
 * The task-result path copies those 17 MB four to five times per partition and step, and the garbage
 * collector's work on the copies takes cores from the next step's compute. When the block store has no
 * room the gradient travels inline in the task result.
 */
final class GradientBlocks {
  private static volatile boolean warnedInline;

  private GradientBlocks() {}

  /**
   * What a training task returns: where its gradient is (a block by task attempt, holding the object itself
   * when {@code inJvm}, else its wire form of {@code bytes}), or the gradient itself ({@code inline}).
   * {@code bytes} counts what was copied: 0 for a hand-over in the JVM.
   */
  record Shipped(int partition, long attempt, boolean inJvm, long bytes, GradAccumulator inline)
      implements Serializable {
    BlockId block() {
      return new TaskResultBlockId(attempt);
    }
  }

  /** Executor side: stores acc (the object in local mode, else its wire form) as this task's block. */
  static Shipped ship(String run, int partition, GradAccumulator acc) {
    long attempt = TaskContext.get().taskAttemptId();
    BlockManager bm = SparkEnv.get().blockManager();
    BlockId id = new TaskResultBlockId(attempt);
    if (org.apache.spark.SparkContext$.MODULE$.DRIVER_IDENTIFIER().equals(SparkEnv.get().executorId())) {
      acc.roundToWirePrecision();
      boolean stored = bm.putSingle(id, acc, StorageLevel.MEMORY_ONLY(), false, ClassTag$.MODULE$.Any());
      return stored ? new Shipped(partition, attempt, true, 0, null) : inline(partition, acc);
    }
    ByteBuffer buffer = ExecutorStore.gradientBuffer(run, partition, acc);
    buffer.clear();
    acc.encode(buffer);
    buffer.flip();
    boolean stored = bm.putBytes(id, new ChunkedByteBuffer(buffer.slice()), StorageLevel.MEMORY_ONLY_SER(), true,
        ClassTag$.MODULE$.Any());
    return stored ? new Shipped(partition, attempt, false, buffer.limit(), null) : inline(partition, acc);
  }

  static Shipped inline(int partition, GradAccumulator acc) {
    return new Shipped(partition, -1, false, 0, acc);
  }

  /**
   * Driver side: adds every shipped gradient into {@code total}, in the order given, and removes the blocks;
   * when {@code replace}, total's old contents are dropped first. Returns the partitions whose block was lost
   * with its executor (they must be computed again).
   */
  static List<Integer> addAll(List<Shipped> shipped, GradAccumulator total, boolean replace) {
    BlockManager bm = SparkEnv.get().blockManager();
    List<Integer> lost = new ArrayList<>();
    for (Shipped s : shipped) {
      if (s.inline() != null) {
        warnInline(s.partition());
        replace = add(s.inline(), total, replace);
      } else if (s.inJvm()) {
        Option<BlockResult> r = bm.getLocalValues(s.block());
        if (r.isEmpty()) {
          lost.add(s.partition());
          continue;
        }
        scala.collection.Iterator<Object> values = r.get().data();
        replace = add((GradAccumulator) values.next(), total, replace);
        values.hasNext(); // reading to the end releases the block's read lock
        bm.removeBlock(s.block(), false);
      } else {
        if (replace) {
          total.reset();
          replace = false;
        }
        if (!addEncoded(bm, s.block(), total)) {
          lost.add(s.partition());
        }
      }
    }
    if (replace) {
      total.reset();
    }
    return lost;
  }

  private static boolean add(GradAccumulator g, GradAccumulator total, boolean replace) {
    if (replace) {
      total.copyFrom(g);
    } else {
      total.merge(g);
    }
    return false;
  }

  private static void warnInline(int partition) {
    if (!warnedInline) {
      warnedInline = true;
      LoggerFactory.getLogger(GradientBlocks.class).warn("partition {}'s gradient found no room in its executor's"
          + " block store and travels inline in the task result (slower; more executor memory helps)", partition);
    }
  }

  private static boolean addEncoded(BlockManager bm, BlockId id, GradAccumulator total) {
    try {
      Option<ChunkedByteBuffer> remote = bm.getRemoteBytes(id);
      if (remote.isEmpty()) {
        return false;
      }
      try {
        total.addEncoded(remote.get().toByteBuffer());
      } finally {
        remote.get().dispose();
      }
      bm.master().removeBlock(id);
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("gradient block " + id.name() + " is unreadable", e);
    }
  }
}
