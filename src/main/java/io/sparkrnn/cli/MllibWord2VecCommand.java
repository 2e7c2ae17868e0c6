package io.sparkrnn.cli;

import io.sparkrnn.spark.MllibWord2Vec;
import io.sparkrnn.spark.SparkTraining;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "mllib-word2vec", mixinStandardHelpOptions = true,
    description = {"Train Spark MLlib's Word2Vec (skip-gram, hierarchical softmax, no subsampling) on a text,"
        + " write its vectors in the word2vec text format and print one JSON line (jobs/word2vec-bench.sh)."})
final class MllibWord2VecCommand implements Callable<Integer> {
  @Option(names = "--text", required = true, description = "one sentence per line, tokens split on white space")
  String text;

  @Option(names = "--to", required = true, description = "the vectors' text file")
  Path to;

  @Option(names = "--partitions", defaultValue = "1",
      description = "MLlib's numPartitions (default ${DEFAULT-VALUE}, MLlib's own): copies trained apart and"
          + " averaged once per epoch")
  int partitions;

  @Option(names = "--epochs", defaultValue = "5", description = "passes over the text (MLlib's maxIter)")
  int epochs;

  @Option(names = "--dim", defaultValue = "100", description = "vector size")
  int dim;

  @Option(names = "--window", defaultValue = "5", description = "context words on each side")
  int window;

  @Option(names = "--min-count", defaultValue = "5", description = "words seen at least this often")
  int minCount;

  @Option(names = "--master", defaultValue = "local[2]", description = "Spark master when not set by spark-submit")
  String master;

  @Override
  public Integer call() throws Exception {
    SparkConf conf = new SparkConf().setAppName("spark-rnn mllib-word2vec");
    if (!conf.contains("spark.master")) {
      conf.setMaster(master);
    }
    conf.setIfMissing("spark.ui.enabled", "false");
    conf.setIfMissing("spark.ui.showConsoleProgress", "false");
    SparkSession spark = SparkSession.builder().config(SparkTraining.onLoopbackIfLocal(conf)).getOrCreate();
    try {
      MllibWord2Vec.Settings s = new MllibWord2Vec.Settings(dim, window, minCount, epochs, partitions, 0.025, 1);
      MllibWord2Vec.Result r = MllibWord2Vec.fit(spark, text, s);
      if (to.getParent() != null) {
        Files.createDirectories(to.getParent());
      }
      long vocab = MllibWord2Vec.writeText(r, to);
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("side", "spark-mllib " + spark.version());
      j.put("version", spark.version());
      j.put("method", "skipgram-hs");
      j.put("words", r.words());
      j.put("epochs", epochs);
      j.put("seconds", r.seconds());
      j.put("words_per_s", r.words() * (double) epochs / r.seconds());
      // The cores Spark offers; with fewer partitions than cores, only as many train at once.
      j.put("threads", spark.sparkContext().defaultParallelism());
      j.put("partitions", partitions);
      j.put("vocab", vocab);
      j.put("vectors", to.toString());
      System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(j));
    } finally {
      spark.stop();
    }
    return 0;
  }
}
