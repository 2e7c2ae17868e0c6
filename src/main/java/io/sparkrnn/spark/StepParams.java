package io.sparkrnn.spark;

import java.io.Serializable;
import java.util.UUID;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.BlockResult;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.storage.TempLocalBlockId;
import scala.Option;
import scala.reflect.ClassTag$;

/**
 * How one step's (or one evaluation's) parameters reach its tasks: a torrent broadcast on a cluster. In local mode the tasks run
 * in the driver's JVM and share its block manager, so the array itself is stored there as a block and read
 * in place; a broadcast would also serialize its 31 MB into pieces that no executor reads (about 10 ms per
 * step, measured here). The tasks read the array; nothing may change it until the step's job has ended.
 */
abstract class StepParams implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Task side: the parameters. */
  abstract float[] get();

  /** Driver side, after the job: frees them. */
  abstract void release();

  static StepParams of(JavaSparkContext sc, float[] params) {
    return sc.isLocal() ? new InDriverJvm(params) : new Broadcasted(sc.broadcast(new BulkFloats(params)));
  }

  private static final class Broadcasted extends StepParams {
    private final Broadcast<BulkFloats> bc;

    Broadcasted(Broadcast<BulkFloats> bc) {
      this.bc = bc;
    }

    @Override
    float[] get() {
      return bc.value().values();
    }

    @Override
    void release() {
      bc.destroy();
    }
  }

  private static final class InDriverJvm extends StepParams {
    private final BlockId id = new TempLocalBlockId(UUID.randomUUID());

    InDriverJvm(float[] params) {
      if (!SparkEnv.get().blockManager().putSingle(id, params, StorageLevel.MEMORY_ONLY(), false,
          ClassTag$.MODULE$.Any())) {
        throw new IllegalStateException("the block manager has no room for the parameters (" + 4L * params.length
            + " bytes); give the driver more memory");
      }
    }

    @Override
    float[] get() {
      Option<BlockResult> r = SparkEnv.get().blockManager().getLocalValues(id);
      if (r.isEmpty()) {
        throw new IllegalStateException("the step's parameters are not in this JVM's block manager");
      }
      scala.collection.Iterator<Object> values = r.get().data();
      float[] params = (float[]) values.next();
      values.hasNext(); // reading to the end releases the block's read lock
      return params;
    }

    @Override
    void release() {
      SparkEnv.get().blockManager().removeBlock(id, false);
    }
  }
}
