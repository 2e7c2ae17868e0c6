package io.sparkrnn.cli;

import io.sparkrnn.infer.WordVectors;
import io.sparkrnn.spark.SparkTraining;
import io.sparkrnn.spark.WordVectorsFrame;
import org.apache.spark.SparkConf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "vectors", mixinStandardHelpOptions = true,
    description = {"Write the model's word vectors (a word2vec model's, or a language model's embedding table) as"
        + " Parquet, (word string, vector ml.linalg.Vector), or in the word2vec text format."})
final class VectorsCommand implements Callable<Integer> {
  @Mixin
  RunOption run;

  @Option(names = "--to", required = true, description = "the Parquet path (any Hadoop path), or the text file")
  String to;

  @Option(names = "--format", defaultValue = "parquet", description = "parquet or text (the word2vec text"
      + " format that gensim's load_word2vec_format reads)")
  String format;

  @Option(names = "--master", defaultValue = "local[*]", description = "Spark master when not set by spark-submit")
  String master;

  @Option(names = "--overwrite", description = "replace what is at --to")
  boolean overwrite;

  @Override
  public Integer call() throws Exception {
    WordVectors vectors = new WordVectors(run.checkpoint());
    if (format.equals("text")) {
      Path file = Path.of(to);
      if (Files.exists(file) && !overwrite) {
        throw new IllegalArgumentException(to + " exists; add --overwrite to replace it");
      }
      vectors.writeText(file);
      System.out.println("Wrote " + (vectors.vocab().size() - 1) + " word vectors to " + to);
      return 0;
    }
    if (!format.equals("parquet")) {
      throw new IllegalArgumentException("--format must be parquet or text, not '" + format + "'");
    }
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
