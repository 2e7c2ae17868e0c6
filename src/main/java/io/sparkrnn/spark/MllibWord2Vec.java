package io.sparkrnn.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trim;

import io.sparkrnn.word2vec.VectorTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.feature.Word2Vec;
import org.apache.spark.ml.feature.Word2VecModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Spark MLlib's own word2vec ({@code org.apache.spark.ml.feature.Word2Vec}), the incumbent in the word2vec
 * benchmark (jobs/word2vec-bench.sh). It is skip-gram with hierarchical softmax only: no negative sampling and no
 * subsampling of frequent words. With several partitions each trains a copy of the model on its part of the text,
 * and once per epoch each row is averaged over the partitions that moved it (mllib's Word2Vec.scala, doFit).
 */
public final class MllibWord2Vec {
  /** The settings the benchmark fixes; the rate is MLlib's default, 0.025, like the other sides'. */
  public record Settings(int dim, int window, int minCount, int epochs, int partitions, double rate, long seed) {}

  /** The fitted model, the corpus's whitespace tokens ("words", every side's numerator) and fit()'s wall time. */
  public record Result(Word2VecModel model, Dataset<Row> sentences, long words, double seconds) {}

  private MllibWord2Vec() {}

  /**
   * Reads {@code text} (any Hadoop path; one sentence per line, tokens split on white space, empty lines dropped)
   * into a cached DataFrame of token arrays, one row per line, and fits MLlib's Word2Vec on it. Only fit() is
   * timed, and it cannot be split: it includes MLlib's vocabulary pass (a distributed count over the cached rows),
   * its Huffman tree, and the shuffle that cuts the sentences into {@code partitions}.
   */
  public static Result fit(SparkSession spark, String text, Settings s) {
    Dataset<Row> lines = spark.read().text(text).filter(length(trim(col("value"))).gt(0));
    Dataset<Row> sentences = lines.select(split(trim(col("value")), "\\s+").as("tokens")).cache();
    long words = sentences.select(sum(size(col("tokens")))).first().getLong(0);
    Word2Vec w2v = new Word2Vec().setInputCol("tokens").setOutputCol("vector").setVectorSize(s.dim())
        .setWindowSize(s.window()).setMinCount(s.minCount()).setMaxIter(s.epochs()).setStepSize(s.rate())
        .setNumPartitions(s.partitions()).setSeed(s.seed());
    long start = System.nanoTime();
    Word2VecModel model = w2v.fit(sentences);
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(model, sentences, words, seconds);
  }

  /**
   * Writes the model's vectors in the word2vec text format, most frequent word first as the C tool and gensim
   * write them (getVectors() has no order, and evaluators that keep only the most frequent words read the
   * order). Returns the number of words written.
   */
  public static long writeText(Result r, Path file) throws IOException {
    Map<String, Long> counts = new HashMap<>();
    for (Row row : r.sentences().select(explode(col("tokens")).as("w")).groupBy("w").count().collectAsList()) {
      counts.put(row.getString(0), row.getLong(1));
    }
    List<Row> rows = r.model().getVectors().collectAsList();
    rows = rows.stream().sorted((a, b) -> {
      int byCount = Long.compare(counts.get(b.getString(0)), counts.get(a.getString(0)));
      return byCount != 0 ? byCount : a.getString(0).compareTo(b.getString(0));
    }).toList();
    int dim = rows.isEmpty() ? 0 : ((Vector) rows.get(0).get(1)).size();
    float[] table = new float[rows.size() * dim];
    for (int i = 0; i < rows.size(); i++) {
      double[] v = ((Vector) rows.get(i).get(1)).toArray(); // MLlib trains in float; its doubles are those floats
      for (int j = 0; j < dim; j++) {
        table[i * dim + j] = (float) v[j];
      }
    }
    new VectorTable(rows.stream().map(row -> row.getString(0)).toList(), table, dim).writeText(file, null);
    return rows.size();
  }
}
