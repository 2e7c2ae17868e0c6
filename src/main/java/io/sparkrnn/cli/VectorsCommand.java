package io.sparkrnn.cli;

import io.sparkrnn.infer.WordVectors;
import io.sparkrnn.spark.SparkTraining;
import io.sparkrnn.spark.WordVectorsFrame;
import org.apache.spark.SparkConf;
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
    SparkConf conf = new SparkConf().setAppName("spark-rnn vectors");
    if (!conf.contains("spark.master")) {
      conf.setMaster(master);
    }
    SparkSession spark = SparkSession.builder().config(SparkTraining.onLoopbackIfLocal(conf)).getOrCreate();
    try {
      WordVectorsFrame.writeParquet(spark, vectors, to, overwrite);
    } finally {
      spark.stop();
    }
    System.out.println("Wrote " + vectors.vocab().size() + " word vectors to " + to);
    return 0;
  }
}
