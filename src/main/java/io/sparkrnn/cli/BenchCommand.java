package io.sparkrnn.cli;

import io.sparkrnn.spark.Benchmark;
import io.sparkrnn.train.Config;
import io.sparkrnn.train.TrainConfig;
import io.sparkrnn.train.TreeBench;
import io.sparkrnn.train.TreeCard;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Time training steps of a configuration and print one JSON line (jobs/bench.sh runs the set).",
        "In process when spark.master=none, else on Spark; --sgemm prints the machine's sgemm rate instead.",
        "A tree classifier (model.family=tree) times one pass over its training trees in process, in nodes/s."})
final class BenchCommand implements Callable<Integer> {
  @Option(names = {"-c", "--conf"}, description = "a .properties config file")
  Path conf;

  @Option(names = "--warmup", defaultValue = "5", description = "untimed steps first (at least)")
  int warmup;

  @Option(names = "--warmup-seconds", defaultValue = "20",
      description = "and at least this long: the JIT compiler is still at work on Spark's code for a while, on "
          + "cores the steps need")
  double warmupSeconds;

  @Option(names = "--steps", defaultValue = "30")
  int steps;

  @Option(names = "--sgemm", description = "measure the sgemm rate with this many threads and stop")
  Integer sgemmThreads;

  @Parameters(paramLabel = "key=value")
  List<String> overrides = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    if (sgemmThreads != null) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("sgemm_threads", sgemmThreads);
      r.put("sgemm_gflops", Benchmark.sgemmGflops(sgemmThreads));
      r.put("blas", io.sparkrnn.math.Blas.backend());
      System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(r));
      return 0;
    }
    Config config = Config.load(conf, overrides);
    if (config.get("model.family").equals(TreeCard.FAMILY)) {
      System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(TreeBench.run(config,
          warmup)));
      return 0;
    }
    TrainConfig cfg = TrainConfig.from(config);
    Map<String, Object> r = Benchmark.run(cfg, !cfg.inProcess(), warmup, warmupSeconds, steps);
    System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(r));
    return 0;
  }
}
