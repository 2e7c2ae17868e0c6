package io.sparkrnn.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;

/**
 * The bytes that crossed each host's network interface, for the benchmark on an emulated multi-host network
 * (jobs/netem-cluster.sh gives every host its own network namespace with one interface, eth0): read from the
 * kernel's counters in /sys/class/net/eth0/statistics by the driver for itself and by a small job for every
 * executor. Where there is no eth0 (local mode, a loopback cluster) there is nothing to read.
 */
final class LinkCounters {
  private static final Path STATS = Path.of("/sys/class/net/eth0/statistics");

  private LinkCounters() {}

  /** Bytes sent plus received on this host's eth0 so far, or -1 without one. */
  static long thisHost() {
    try {
      return Long.parseLong(Files.readString(STATS.resolve("tx_bytes")).trim())
          + Long.parseLong(Files.readString(STATS.resolve("rx_bytes")).trim());
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  /** Bytes so far on the eth0 of every executor that holds one of {@code parts}' partitions, by executor id. */
  static Map<String, Long> executors(JavaRDD<SparkCorpus.Part> parts) {
    List<String[]> seen = parts.mapPartitions(it -> List.<String[]>of(new String[] {SparkEnv.get().executorId(),
        Long.toString(thisHost())}).iterator(), true).collect();
    Map<String, Long> out = new LinkedHashMap<>();
    for (String[] s : seen) {
      out.put(s[0], Long.parseLong(s[1]));
    }
    return out;
  }

  /** The largest growth of one executor's counter between two readings (-1 when there were none). */
  static long busiest(Map<String, Long> before, Map<String, Long> after) {
    long max = -1;
    for (Map.Entry<String, Long> e : after.entrySet()) {
      Long b = before.get(e.getKey());
      if (b != null && b >= 0 && e.getValue() >= 0) {
        max = Math.max(max, e.getValue() - b);
      }
    }
    return max;
  }
}
