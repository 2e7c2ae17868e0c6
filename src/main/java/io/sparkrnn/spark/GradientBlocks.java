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
import org.apache.spark.storage.BlockData;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.BlockManager;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.storage.TaskResultBlockId;
import org.apache.spark.util.io.ChunkedByteBuffer;
import org.slf4j.LoggerFactory;
import scala.Option;
import scala.reflect.ClassTag$;

/**
 * A training task's gradient travels as a block of Spark's block manager instead of inside its task
 * result, the way Spark itself ships large results, minus the copies: the task encodes the gradient into
 * a buffer kept for its partition and stores that buffer as the block {@code taskresult_<attempt>} (no
 * copy); the driver reads the block in place when it sits in its own block manager (local mode) or fetches
 * it once over Spark's block transfer service (a cluster; authenticated and encrypted as Spark is
 * configured), adds it straight into the step's sum and removes it. The task-result path copies those
 * 17 MB four to five times per partition and step, and the garbage collector's work on the copies takes
 * cores from the next step's compute. When the block store has no room the gradient travels inline.
 */
final class GradientBlocks {
  private static volatile boolean warnedInline;

  private GradientBlocks() {}

  /** What a training task returns: its block (by task attempt) and the block's size, or the gradient itself. */
  record Shipped(int partition, long attempt, long bytes, GradAccumulator inline) implements Serializable {
    BlockId block() {
      return new TaskResultBlockId(attempt);
    }
  }

  /** Executor side: stores acc's wire form as this task's block, or ships it inline when there is no room. */
  static Shipped ship(int partition, GradAccumulator acc, ByteBuffer buffer) {
    long attempt = TaskContext.get().taskAttemptId();
    buffer.clear();
    acc.encode(buffer);
    buffer.flip();
    BlockManager bm = SparkEnv.get().blockManager();
    boolean stored = bm.putBytes(new TaskResultBlockId(attempt), new ChunkedByteBuffer(buffer.slice()),
        StorageLevel.MEMORY_ONLY_SER(), true, ClassTag$.MODULE$.Any());
    return stored ? new Shipped(partition, attempt, buffer.limit(), null) : new Shipped(partition, -1, 0, acc);
  }

  /**
   * Driver side: adds every shipped gradient into {@code total}, in the order given, and removes the blocks.
   * Returns the partitions whose block was lost with its executor (they must be computed again).
   */
  static List<Integer> addAll(List<Shipped> shipped, GradAccumulator total) {
    BlockManager bm = SparkEnv.get().blockManager();
    List<Integer> lost = new ArrayList<>();
    for (Shipped s : shipped) {
      if (s.inline() != null) {
        if (!warnedInline) {
          warnedInline = true;
          LoggerFactory.getLogger(GradientBlocks.class).warn("partition {}'s gradient found no room in its executor's"
              + " block store and travels inline in the task result (slower; more executor memory helps)",
              s.partition());
        }
        total.merge(s.inline());
      } else if (!add(bm, s.block(), total)) {
        lost.add(s.partition());
      }
    }
    return lost;
  }

  private static boolean add(BlockManager bm, BlockId id, GradAccumulator total) {
    try {
      Option<BlockData> local = bm.getLocalBytes(id);
      if (local.isDefined()) {
        try {
          total.addEncoded(local.get().toByteBuffer());
        } finally {
          bm.releaseLock(id, Option.empty());
        }
        bm.removeBlock(id, true);
        return true;
      }
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
