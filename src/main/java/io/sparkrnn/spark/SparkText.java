package io.sparkrnn.spark;

import java.io.IOException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A text on Spark: its lines in order (one sentence each, whitespace-separated tokens) and the name an error calls
 * it by. The command line reads files on a Hadoop path; the ML estimator gives the rows of a DataFrame.
 */
public record SparkText(String name, JavaRDD<String> lines) {
  /** Where a run's texts come from: the text a data key (data.train, data.valid, data.test) names. */
  @FunctionalInterface
  public interface Source {
    SparkText open(String dataKeyValue) throws IOException;
  }

  /** The files at a Hadoop path (a file, a folder or a glob); one that matches nothing is refused. */
  public static SparkText at(JavaSparkContext sc, String path) throws IOException {
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(sc.hadoopConfiguration());
    FileStatus[] found = fs.globStatus(p);
    if (found == null || found.length == 0) {
      throw new IllegalArgumentException("the corpus path " + path + " matches no file");
    }
    return new SparkText(path, sc.textFile(path));
  }

  /** Files on Hadoop paths, as the command line names them. */
  public static Source files(JavaSparkContext sc) {
    return path -> at(sc, path);
  }
}
