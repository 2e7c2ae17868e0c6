package io.sparkrnn.train;

import io.sparkrnn.train.StepBackend.CarriedState;
import java.util.Arrays;
import java.util.List;

/** Saving and restoring the carried state of a list of shards (in-process, or collected from Spark). */
public final class ShardStates {
  private ShardStates() {}

  public static CarriedState save(List<Shard> shards) {
    int[] counts = new int[shards.size()];
    int total = 0;
    for (int i = 0; i < counts.length; i++) {
      counts[i] = shards.get(i).examples();
      total += shards.get(i).state().length;
    }
    float[] all = new float[total];
    int off = 0;
    for (Shard s : shards) {
      System.arraycopy(s.state(), 0, all, off, s.state().length);
      off += s.state().length;
    }
    return new CarriedState(counts, all, shards.get(0).nextBatch());
  }

  public static boolean restore(List<Shard> shards, CarriedState saved) {
    int[] counts = shards.stream().mapToInt(Shard::examples).toArray();
    if (!Arrays.equals(counts, saved.shardStreams())) {
      return false;
    }
    int off = 0;
    for (Shard s : shards) {
      s.restore(Arrays.copyOfRange(saved.state(), off, off + s.state().length), saved.next());
      off += s.state().length;
    }
    return true;
  }
}
