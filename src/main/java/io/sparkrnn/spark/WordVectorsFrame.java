package io.sparkrnn.spark;

import io.sparkrnn.infer.WordVectors;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Word vectors as a Spark DataFrame of (word: string, vector: ml.linalg.Vector), the type MLlib's
 * feature transformers and estimators take, and as Parquet.
 */
public final class WordVectorsFrame {
  public static final StructType SCHEMA = new StructType()
      .add("word", DataTypes.StringType, false)
      .add("vector", SQLDataTypes.VectorType(), false);

  private WordVectorsFrame() {}

  public static Dataset<Row> frame(SparkSession spark, WordVectors vectors) {
    List<Row> rows = new ArrayList<>();
    for (int id = 0; id < vectors.vocab().size(); id++) {
      rows.add(RowFactory.create(vectors.vocab().word(id), Vectors.dense(vectors.vector(id))));
    }
    return spark.createDataFrame(rows, SCHEMA);
  }

  /** Writes the vectors as Parquet to any Hadoop path. */
  public static void writeParquet(SparkSession spark, WordVectors vectors, String path, boolean overwrite) {
    frame(spark, vectors).write().mode(overwrite ? "overwrite" : "errorifexists").parquet(path);
  }
}
