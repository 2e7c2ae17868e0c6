package io.sparkrnn.spark;

import io.sparkrnn.data.Vocab;
import io.sparkrnn.math.Blas;
import io.sparkrnn.math.Rng;
import io.sparkrnn.nn.LanguageModel;
import io.sparkrnn.nn.ModelSpec;
import io.sparkrnn.optim.Optimizer;
import io.sparkrnn.train.GradAccumulator;
import io.sparkrnn.train.LocalTraining;
import io.sparkrnn.train.DriverSync;
import io.sparkrnn.train.StepBackend;
import io.sparkrnn.train.Sync;
import io.sparkrnn.train.TrainConfig;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Training speed of one configuration, in process or on Spark: the driver loop's steps (gradients,
 * divide, clip, Adam) timed after a warm-up, with the time split, the bytes that travel per step, the
 * peak heap, and the achieved GFLOP/s against a large sgemm measured in the same JVM.
 */
public final class Benchmark {
  private Benchmark() {}

  /**
   * Times {@code steps} steps after at least {@code warmup} steps and {@code warmupSeconds} of untimed ones.
   */
  public static Map<String, Object> run(TrainConfig cfg, boolean onSpark, int warmup, double warmupSeconds, int steps)
      throws IOException {
    long setupStart = System.nanoTime();
    JavaSparkContext sc = onSpark ? new JavaSparkContext(SparkTraining.sparkConf(cfg)) : null;
    Vocab vocab;
    try { // counted where the training run counts it: on the executors on Spark (any Hadoop path or glob)
      vocab = onSpark ? SparkCorpus.vocab(SparkText.at(sc, cfg.train()), cfg.minCount(), cfg.maxSize())
          .requireTrainable(cfg.minCount()) : LocalTraining.vocab(cfg);
    } catch (IOException | RuntimeException e) {
      if (sc != null) {
        sc.stop();
      }
      throw e;
    }
    LanguageModel model = new LanguageModel(cfg.spec(vocab.size()));
    TaskTimes tasks = new TaskTimes();
    try (StepBackend backend = onSpark ? SparkTraining.backend(sc, cfg, vocab, model)
        : LocalTraining.backend(cfg, vocab, model)) {
      double setupSeconds = (System.nanoTime() - setupStart) / 1e9; // vocabulary, reading, partitions
      if (sc != null) {
        sc.sc().addSparkListener(tasks);
      }
      float[] params = model.initParams(cfg.init(), cfg.initScale(), new Rng(cfg.seed()));
      Optimizer opt = cfg.newOptimizer(params.length);
      Sync sync = onSpark ? SparkTraining.sync((SparkBackend) backend, cfg) : new DriverSync(backend);
      sync.start(params, opt, null);
      double[] ms = new double[4]; // compute, broadcast, aggregate, update
      long tokens = 0;
      long blockBytes = 0;
      long start = 0;
      long driverLink = -1;
      Map<String, Long> executorLinks = Map.of();
      long[] controlCalls = new long[2];
      SliceOwner.Traffic traffic = SliceOwner.Traffic.NONE;
      int syncs = 0;
      long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
      int step = 0;
      int timed = -1;
      while (timed < steps) {
        if (timed < 0 && step >= warmup && System.nanoTime() >= warmupEnd) {
          timed = 0;
          java.util.Arrays.fill(ms, 0);
          tokens = 0;
          blockBytes = 0;
          tasks.reset();
          syncs = 0;
          if (sync instanceof AllReduceSync a) {
            controlCalls = a.controlCalls.clone();
            traffic = a.traffic;
          }
          ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
          if (onSpark && !sc.isLocal()) {
            executorLinks = LinkCounters.executors(((SparkBackend) backend).trainParts());
            driverLink = LinkCounters.thisHost();
          }
          start = System.nanoTime();
        }
        // One window, or a local-SGD round of k (aligned as in training).
        int window = step % backend.batches();
        int k = sync.windowsPerStep();
        float[] lr = new float[Math.min(k - window % k, backend.batches() - window)];
        java.util.Arrays.fill(lr, (float) cfg.lr());
        Sync.StepStats t = sync.step(step, lr, cfg.clip());
        step += lr.length;
        ms[0] += t.computeMs();
        ms[1] += t.broadcastMs();
        ms[2] += t.aggregateMs();
        ms[3] += t.updateMs();
        blockBytes += t.driverBlockBytes();
        tokens += t.tokens();
        if (timed >= 0) {
          timed += lr.length;
          syncs += (lr.length + cfg.syncEvery() - 1) / cfg.syncEvery();
        }
      }
      steps = timed; // a local-SGD round may end past the asked number
      double seconds = (System.nanoTime() - start) / 1e9;
      long driverLinkBytes = driverLink < 0 ? -1 : LinkCounters.thisHost() - driverLink;
      long busiestExecutorLink = onSpark && !sc.isLocal() ? LinkCounters.busiest(executorLinks,
          LinkCounters.executors(((SparkBackend) backend).trainParts())) : -1;
      long peakHeapMb = peakHeapMb(); // before the codec probe below allocates its own buffers
      double flopsPerToken = flopsPerToken(model.spec(), clusterTokens(cfg, sc, vocab, model.spec()));
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("side", onSpark ? "spark " + sc.master() + ", " + backend.partitions() + " partitions"
          + (cfg.bf16Gradients() ? ", bf16 gradients" : "") + (cfg.allReduce() ? ", all-reduce" : "")
          + (sc.getConf().getBoolean("spark.network.crypto.enabled", false) ? ", authenticated and encrypted" : "")
          : "in-process, " + backend.partitions() + " threads");
      r.put("cell", cfg.cell());
      r.put("layers", cfg.layers());
      r.put("streams", backend.examples());
      r.put("vocab", vocab.size());
      r.put("cutoffs", TrainConfig.cutoffsText(model.spec().cutoffs()));
      r.put("setup_seconds", setupSeconds);
      r.put("steps", steps);
      r.put("warmup_steps", step - steps);
      r.put("tokens_per_s", tokens / seconds);
      r.put("ms_step", 1000 * seconds / steps);
      r.put("ms_compute", ms[0] / steps);
      r.put("ms_broadcast", ms[1] / steps);
      r.put("ms_aggregate", ms[2] / steps);
      r.put("ms_update", ms[3] / steps);
      r.put("ms_overhead", 1000 * seconds / steps - ms[0] / steps);
      // In local mode the parameters are handed to the tasks in the JVM: nothing is serialized.
      r.put("bytes_broadcast_per_step", onSpark && !sc.isLocal() && !cfg.allReduce() ? 4L * params.length : 0L);
      if (cfg.allReduce()) {
        // Each task sends its P-1 gradient blocks (what it published, measured; the embedding's zero rows do not
        // travel) and reads the other P-1 parameter slices (measured: of the embedding, the rows its next window
        // reads), as many bytes as the others read of its slice on average. Part of the gradient goes before the
        // backward pass ends (the output layer's): its bytes, and the ms of the pass still to run then, per task
        // and step.
        int p = backend.partitions();
        SliceOwner.Traffic t = ((AllReduceSync) sync).traffic;
        double perTaskStep = (double) p * Math.max(1, syncs);
        long gradient = (long) ((t.bytes() - traffic.bytes()) / perTaskStep);
        long gathered = (long) ((t.paramBytes() - traffic.paramBytes()) / perTaskStep);
        r.put("bytes_sent_per_task_per_step", gradient + gathered);
        r.put("gradient_bytes_per_task_per_step", gradient);
        r.put("param_bytes_read_per_task_per_step", gathered);
        // The owner of the longest slice updates the most values: its length at other P, each partition training as
        // many streams as here (weak scaling), for the cost model's update time.
        Map<String, Integer> longest = new java.util.LinkedHashMap<>();
        for (int parts : new int[] {p, 8, 32, 128}) {
          int[] b = ((AllReduceSync) sync).bounds(parts, backend.examples() / p);
          longest.put(String.valueOf(parts), java.util.stream.IntStream.range(0, parts).map(j -> b[j + 1] - b[j]).max()
              .orElse(0));
        }
        r.put("longest_slice_floats", longest);
        r.put("early_gradient_bytes_per_task_per_step", (long) ((t.earlyBytes() - traffic.earlyBytes()) / perTaskStep));
        r.put("ms_backward_after_early_send", (t.afterReadyMs() - traffic.afterReadyMs()) / perTaskStep);
        // Requests between executors that return no block: puts and removes for a partition away from its home, reads
        // that failed (before reads waited at the home, polls for blocks not there yet).
        long[] calls = ((AllReduceSync) sync).controlCalls;
        r.put("control_calls_per_task_per_sync", (double) (calls[0] - controlCalls[0]) / p / Math.max(1, syncs));
        r.put("ms_control_call", (calls[1] - controlCalls[1]) / 1e6 / Math.max(1, calls[0] - controlCalls[0]));
        r.put("ms_round_trip", ((AllReduceSync) sync).probeRoundTripMs(21));
      }
      r.put("param_bytes", 4L * params.length);
      r.put("output_layer_bytes", 4L * (params.length - model.outputStart()));
      r.put("bytes_aggregated_per_step", (tasks.resultBytes.sum() + blockBytes) / steps);
      if (onSpark) {
        double perTask = Math.max(1, tasks.count.sum());
        r.put("ms_task_deserialize", tasks.deserializeMs.sum() / perTask);
        r.put("ms_result_serialize", tasks.resultSerializeMs.sum() / perTask);
        r.put("ms_task_gc", tasks.gcMs.sum() / perTask);
        r.put("ms_task_run", tasks.runMs.sum() / perTask);
        r.put("codec_ms_per_mb", codecMsPerMb(Math.min(params.length, 1 << 22))); // per MB: 16 MB do
      }
      if (driverLinkBytes >= 0) { // hosts with their own eth0 (jobs/netem-cluster.sh)
        r.put("driver_link_bytes_per_step", driverLinkBytes / steps);
        r.put("busiest_executor_link_bytes_per_step", busiestExecutorLink / steps);
      }
      r.put("peak_heap_mb", peakHeapMb);
      if (onSpark && !sc.isLocal()) {
        r.put("executor_peak_heap_mb", tasks.executorHeap.get() / (1 << 20));
      }
      r.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1 << 20));
      r.put("mflop_per_token", flopsPerToken / 1e6);
      r.put("gflops", flopsPerToken * tokens / seconds / 1e9);
      r.put("blas", Blas.backend());
      return r;
    } finally {
      if (sc != null) {
        sc.stop();
      }
    }
  }

  /**
   * Milliseconds per MB of the gradient wire form, one direction (half of an encode plus an add-from-bytes
   * of a dense gradient of this size, best of five): what a cluster pays per byte besides the network.
   */
  static double codecMsPerMb(int size) throws IOException {
    GradAccumulator a = new GradAccumulator(size);
    Rng rng = new Rng(1);
    for (int i = 0; i < size; i++) {
      a.grad[i] = (float) rng.nextGaussian();
    }
    GradAccumulator sum = new GradAccumulator(size);
    java.nio.ByteBuffer wire = java.nio.ByteBuffer.allocate(a.maxEncodedBytes());
    long best = Long.MAX_VALUE;
    for (int rep = 0; rep < 5; rep++) {
      long t0 = System.nanoTime();
      wire.clear();
      a.encode(wire);
      wire.flip();
      sum.addEncoded(wire);
      best = Math.min(best, System.nanoTime() - t0);
    }
    return best / 2e6 / (wire.limit() / 1e6);
  }

  /** Training tokens in the adaptive softmax's head and in each tail cluster (none for the full softmax). */
  private static long[] clusterTokens(TrainConfig cfg, JavaSparkContext sc, Vocab vocab, ModelSpec s)
      throws IOException {
    if (!s.adaptive()) {
      return new long[0];
    }
    int[] cuts = s.cutoffs().stream().mapToInt(Integer::intValue).toArray();
    if (sc != null) {
      return SparkCorpus.tokensBelow(SparkText.at(sc, cfg.train()), sc.broadcast(vocab), cuts);
    }
    long[] n = new long[cuts.length + 1];
    for (int id : io.sparkrnn.data.Corpus.ids(java.nio.file.Path.of(cfg.train()), vocab)) {
      n[ModelSpec.part(id, cuts)]++;
    }
    return n;
  }

  /**
   * Matrix-multiply FLOPs of one training token: forward 2·(input, recurrent and output MACs), backward
   * twice that (the input and the weight gradients). Embedding lookups and element-wise work are left out.
   * The adaptive softmax's tail cluster i counts as often as tokens fall in it: clusterTokens[i + 1] of the
   * corpus's total (clusterTokens[0] is the head's).
   */
  public static double flopsPerToken(ModelSpec s, long[] clusterTokens) {
    int gates = switch (s.cell()) {
      case "lstm" -> 4;
      case "gru" -> 3;
      default -> 1;
    };
    double macs = 0;
    for (int l = 0; l < s.layers(); l++) {
      int in = l == 0 ? s.embed() : s.hidden();
      macs += (double) gates * s.hidden() * (in + s.hidden());
    }
    if (!s.adaptive()) {
      macs += (double) s.hidden() * s.vocab();
      return 6 * macs;
    }
    List<Integer> cuts = new java.util.ArrayList<>(s.cutoffs());
    cuts.add(s.vocab());
    macs += (double) s.hidden() * (s.cutoffs().get(0) + s.cutoffs().size());
    double total = Math.max(1, java.util.Arrays.stream(clusterTokens).sum());
    for (int i = 0; i + 1 < cuts.size(); i++) {
      int features = ModelSpec.tailFeatures(s.hidden(), s.tailDiv(), i);
      macs += clusterTokens[i + 1] / total * features * (s.hidden() + cuts.get(i + 1) - cuts.get(i));
    }
    return 6 * macs;
  }

  /**
   * GFLOP/s of the output layer's sgemm (1120 x 256 by 256 x 14115): every thread makes three calls in
   * parallel with the others; the best of ten such rounds counts (the machine is shared, so the best round
   * is the one least disturbed).
   */
  public static double sgemmGflops(int threads) throws InterruptedException {
    int m = 1120;
    int n = 14115;
    int k = 256;
    double[] best = {Double.MAX_VALUE};
    Thread[] ts = new Thread[threads];
    float[][] as = new float[threads][m * k];
    float[][] bs = new float[threads][n * k];
    float[][] cs = new float[threads][m * n];
    int calls = 3;
    for (int rep = 0; rep < 10; rep++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < threads; i++) {
        int id = i;
        ts[i] = new Thread(() -> {
          for (int c = 0; c < calls; c++) {
            Blas.gemm(false, true, m, n, k, 1f, as[id], 0, k, bs[id], 0, k, 0f, cs[id], 0, n);
          }
        });
        ts[i].start();
      }
      for (Thread t : ts) {
        t.join();
      }
      best[0] = Math.min(best[0], System.nanoTime() - t0);
    }
    return threads * calls * 2.0 * m * n * k / best[0];
  }

  /** Sums of Spark's task metrics (per task, in ms, and result bytes), reset after the warm-up. */
  private static final class TaskTimes extends SparkListener {
    final LongAdder resultBytes = new LongAdder();
    final LongAdder count = new LongAdder();
    final LongAdder deserializeMs = new LongAdder();
    final LongAdder resultSerializeMs = new LongAdder();
    final LongAdder gcMs = new LongAdder();
    final LongAdder runMs = new LongAdder();
    /** Largest executor heap use seen at a task's end (Spark's executor metrics; 0 where none are polled). */
    final java.util.concurrent.atomic.AtomicLong executorHeap = new java.util.concurrent.atomic.AtomicLong();

    void reset() {
      for (LongAdder a : new LongAdder[] {resultBytes, count, deserializeMs, resultSerializeMs, gcMs, runMs}) {
        a.reset();
      }
      executorHeap.set(0);
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
      var m = end.taskMetrics();
      if (m != null) {
        resultBytes.add(m.resultSize());
        count.increment();
        deserializeMs.add(m.executorDeserializeTime());
        resultSerializeMs.add(m.resultSerializationTime());
        gcMs.add(m.jvmGCTime());
        runMs.add(m.executorRunTime());
      }
      var em = end.taskExecutorMetrics();
      if (em != null) {
        executorHeap.accumulateAndGet(em.getMetricValue("JVMHeapMemory"), Math::max);
      }
    }
  }

  private static long peakHeapMb() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum / (1 << 20);
  }
}
