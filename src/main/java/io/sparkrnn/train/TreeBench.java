package io.sparkrnn.train;

import io.sparkrnn.data.Corpus;
import io.sparkrnn.data.TreeBatches;
import io.sparkrnn.data.TreeIds;
import io.sparkrnn.math.Rng;
import io.sparkrnn.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Training speed of a tree classifier in nodes per second, through the training core (the in-process backend's
 * threads, the driver sync, the optimizer): the training trees in batches sorted by the height and size of the
 * trees as the model reads them (binarised, for the binary cells), unshuffled, so that another implementation can
 * form the same batches (jobs/tree_pytorch.py does for the binary Tree-LSTM), warm-up steps, then one timed pass.
 */
public final class TreeBench {
  private TreeBench() {}

  public static Map<String, Object> run(Config given, int warmup) throws IOException {
    Config config = given.with("data.valid", "").with("data.test", "");
    TrainConfig cfg = TrainConfig.from(config);
    TreeTraining.Prepared p = TreeTraining.prepare(cfg, TreeConfig.from(config), null,
        path -> Corpus.lines(Path.of(path)), false);
    TreeBatches data = p.train();
    int threads = cfg.workerThreads();
    try (LocalBackend backend = new LocalBackend(p.objective(), data, Map.of(), threads)) {
      float[] params = p.card().initParams(cfg.init(), cfg.initScale(), new Rng(cfg.seed()));
      Optimizer opt = cfg.newOptimizer(params.length);
      Sync sync = new DriverSync(backend);
      sync.start(params, opt, null);
      float[] lr = {(float) cfg.lr()};
      for (int s = 0; s < warmup; s++) {
        sync.step(s % data.batches(), lr, cfg.clip());
      }
      long nodes = 0;
      long start = System.nanoTime();
      for (int b = 0; b < data.batches(); b++) {
        sync.step(b, lr, cfg.clip());
        for (TreeIds t : data.lanes(b, 0, data.lanes())) {
          nodes += t.nodes();
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("side", "spark-rnn in-process, " + backend.partitions() + " threads, by level" + (p.card().chain()
          ? ", LSTM over the tokens" : ""));
      r.put("cell", p.card().chain() ? "lstm (chains)" : cfg.cell());
      r.put("embed", cfg.embed());
      r.put("hidden", cfg.hidden());
      r.put("batch", cfg.batch());
      r.put("batches", data.batches());
      r.put("trees", data.trees());
      r.put("nodes", nodes);
      r.put("seconds", seconds);
      r.put("nodes_per_s", nodes / seconds);
      r.put("ms_per_step", 1000 * seconds / data.batches());
      r.put("blas", io.sparkrnn.math.Blas.backend());
      return r;
    }
  }
}
