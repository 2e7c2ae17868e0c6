package io.sparkrnn.cli;

import io.sparkrnn.infer.WordVectors;
import io.sparkrnn.spark.WordVectorsFrame;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "vectors", mixinStandardHelpOptions = true,
    description = "Write the model's word vectors as Parquet: (word string, vector ml.linalg.Vector).")
final class VectorsCommand implements Callable<Integer> {
  @Mixin
  RunOption run;

  @Option(names = "--to", required = true, description = "the Parquet path (any Hadoop path)")
  String to;

  @Option(names = "--master", defaultValue = "local[*]", description = "Spark master when not set by spark-submit")
  String master;

  @Option(names = "--overwrite", description = "replace what is at --to")
  boolean overwrite;

  @Override
  public Integer call() throws Exception {
    WordVectors vectors = new WordVectors(run.checkpoint());
    SparkSession.Builder b = SparkSession.builder().appName("spark-rnn vectors");
    if (!new org.apache.spark.SparkConf().contains("spark.master")) {
      b.master(master);
      if (master.startsWith("local")) {
        b.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
      }
    }
    SparkSession spark = b.getOrCreate();
    try {
      WordVectorsFrame.writeParquet(spark, vectors, to, overwrite);
    } finally {
      spark.stop();
    }
    System.out.println("Wrote " + vectors.vocab().size() + " word vectors to " + to);
    return 0;
  }
}
