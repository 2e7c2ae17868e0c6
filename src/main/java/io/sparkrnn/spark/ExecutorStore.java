package io.sparkrnn.spark;

import io.sparkrnn.train.GradAccumulator;
import io.sparkrnn.train.Objective;
import io.sparkrnn.train.Shard;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The executor-side state: per (run, partition) the training {@link Shard} whose carried
 * state survives between steps in this JVM, and with spark.aggregation=allreduce the partition's
 * {@link SliceOwner}. A task that lands on an executor without the entry
 * (after a failure) gets a new shard, whose state is zero: the shard reports it and training goes on.
 * An executor belongs to one application, which trains one run at a time, so a new run drops the
 * entries of older ones.
 */
final class ExecutorStore {
  private static final Map<String, Shard> SHARDS = new ConcurrentHashMap<>();
  private static final Map<String, GradAccumulator> ACCUMULATORS = new ConcurrentHashMap<>();
  private static final Map<String, ByteBuffer> BUFFERS = new ConcurrentHashMap<>();
  private static final Map<String, SliceOwner> OWNERS = new ConcurrentHashMap<>();

  private ExecutorStore() {}

  /** Partition p's training shard of this run, made from its cached part by the first task of the run here. */
  static Shard shard(String run, int partition, Objective<?> objective, SparkCorpus.Part part) {
    String key = run + "/train/" + partition;
    Shard s = SHARDS.get(key);
    if (s == null) {
      synchronized (ExecutorStore.class) {
        SHARDS.keySet().removeIf(k -> !k.startsWith(run + "/"));
        ACCUMULATORS.keySet().removeIf(k -> !k.startsWith(run + "/"));
        BUFFERS.keySet().removeIf(k -> !k.startsWith(run + "/"));
        dropOwners(k -> !k.startsWith(run + "/"));
        SliceStore.forget(k -> !k.startsWith(run + "/"));
        s = SHARDS.computeIfAbsent(key, k -> part.shard(objective));
      }
    }
    return s;
  }

  /**
   * The partition's gradient buffer, zeroed, reused from step to step (a task's result is serialized
   * before the task ends, and the next step's task starts only after the driver has all results; two
   * attempts of one task at once would share it, which is why the job keeps spark.speculation off).
   * The objective declares which rows travel sparsely (a language model's embedding table).
   */
  static GradAccumulator accumulator(String run, int partition, Objective<?> objective) {
    GradAccumulator a = ACCUMULATORS.computeIfAbsent(run + "/" + partition, k -> objective.accumulator());
    a.reset();
    return a;
  }

  /** A dense accumulator of {@code size} values for the partition's share of an average (local SGD), zeroed. */
  static GradAccumulator averagingBuffer(String run, int partition, int size) {
    GradAccumulator a = ACCUMULATORS.compute(run + "/" + partition + "/avg", (k, old) -> old != null
        && old.grad.length == size ? old : new GradAccumulator(size));
    a.reset();
    return a;
  }

  /**
   * The partition's buffer for the wire form of its gradient, reused from step to step: the block that holds
   * it is read and removed by the driver before the next step's task starts. A heap buffer, because removing
   * a block frees direct buffers but leaves heap buffers alone.
   */
  static ByteBuffer gradientBuffer(String run, int partition, GradAccumulator acc) {
    return BUFFERS.compute(run + "/" + partition, (k, b) -> b != null && b.capacity() >= acc.maxEncodedBytes() ? b
        : ByteBuffer.allocate(acc.maxEncodedBytes()));
  }

  /** The all-reduce slice that partition p owns on this executor, or null (none, or it was lost). */
  static SliceOwner owner(String run, int partition) {
    return OWNERS.get(run + "/" + partition);
  }

  /** Makes {@code owner} the partition's slice owner, dropping the blocks of the one it replaces. */
  static void putOwner(String run, int partition, SliceOwner owner) {
    SliceOwner old = OWNERS.put(run + "/" + partition, owner);
    if (old != null) {
      old.dropBlocks();
    }
  }

  /**
   * Drops the matching owners and their blocks. Tasks of one job may run this at once in one executor (local
   * mode: every partition): only the task whose remove took an owner drops its blocks, since two tasks removing
   * the same block can leave Spark a lock record of a block that is gone, which fails the task at its end.
   */
  private static void dropOwners(java.util.function.Predicate<String> which) {
    for (String key : OWNERS.keySet()) {
      if (which.test(key)) {
        SliceOwner owner = OWNERS.remove(key);
        if (owner != null) {
          owner.dropBlocks();
        }
      }
    }
  }

  static void removeRun(String run) {
    dropOwners(k -> k.startsWith(run + "/"));
    SliceStore.forget(k -> k.startsWith(run + "/"));
    SHARDS.keySet().removeIf(k -> k.startsWith(run + "/"));
    ACCUMULATORS.keySet().removeIf(k -> k.startsWith(run + "/"));
    BUFFERS.keySet().removeIf(k -> k.startsWith(run + "/"));
  }
}
