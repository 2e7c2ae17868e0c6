package io.sparkrnn.ml;

import io.sparkrnn.spark.SparkText;
import io.sparkrnn.spark.SparkTraining;
import io.sparkrnn.train.RunFolder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A recurrent language model as a Spark ML estimator: {@code fit} trains on a DataFrame column of token arrays (one
 * sentence per row, as a {@code RegexTokenizer} gives them) through the same training core, Spark backend and run
 * folder as {@code spark-rnn train}, in the DataFrame's Spark session. Every training key of {@code spark-rnn keys}
 * is a string param of the same name ({@link #setConf}); rows marked by {@code validationIndicatorCol} are the
 * validation text.
 *
 * <pre>
 * Pipeline p = new Pipeline().setStages(new PipelineStage[] {
 *     new RegexTokenizer().setInputCol("value").setOutputCol("tokens").setPattern("\\s+").setToLowercase(false),
 *     new RnnLanguageModel().setConf("model.hidden", 256).setConf("train.epochs", 2)});
 * </pre>
 */
public final class RnnLanguageModel extends Estimator<RnnLanguageModelModel>
    implements DefaultParamsWritable, ColumnSetters<RnnLanguageModel> {
  private static final Logger LOG = LoggerFactory.getLogger(RnnLanguageModel.class);
  private static final String TRAIN_ROWS = "the training rows of the DataFrame";
  private static final String VALID_ROWS = "the validation rows of the DataFrame";
  private final String uid;
  private final Param<?>[] params;

  public RnnLanguageModel() {
    this(Identifiable$.MODULE$.randomUID("rnnLanguageModel"));
  }

  public RnnLanguageModel(String uid) {
    this.uid = uid;
    this.params = LmParams.create(uid);
    LmParams.setDefaults(this);
  }

  @Override
  public String uid() {
    return uid;
  }

  /** The params are made per instance from the key list, not declared as methods, so they are listed here. */
  @Override
  public Param<?>[] params() {
    return params;
  }

  /** Sets a training key, such as {@code setConf("model.hidden", 512)}. */
  public RnnLanguageModel setConf(String key, Object value) {
    LmParams.setConf(this, key, value);
    return this;
  }

  /** A boolean column whose true rows are the validation text (the command line's data.valid). */
  public RnnLanguageModel setValidationIndicatorCol(String column) {
    return setParam(LmParams.VALIDATION_COL, column);
  }

  @Override
  public RnnLanguageModel setParam(String name, Object value) {
    set(LmParams.param(this, name), value);
    return this;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return LmParams.outputSchema(this, schema, true);
  }

  @Override
  public RnnLanguageModelModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    String validCol = LmParams.string(this, LmParams.VALIDATION_COL);
    Dataset<Row> rows = dataset.toDF();
    Dataset<Row> train = validCol.isEmpty() ? rows
        : rows.filter(functions.not(functions.coalesce(functions.col(validCol), functions.lit(false))));
    Dataset<Row> valid = validCol.isEmpty() ? null : rows.filter(functions.col(validCol));
    String out = LmParams.string(this, "out");
    String in = LmParams.string(this, LmParams.INPUT_COL);
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
    requireSettings(sc.getConf());
    // Each text read once: the vocabulary and the streams must see the same rows even where the DataFrame would
    // not give them again (a sample, a limit).
    Map<String, JavaRDD<String>> texts = new HashMap<>();
    texts.put(TRAIN_ROWS, lines(train, in).persist(StorageLevel.MEMORY_AND_DISK()));
    if (valid != null) {
      texts.put(VALID_ROWS, lines(valid, in).persist(StorageLevel.MEMORY_AND_DISK()));
    }
    try {
      String runDir = out.isEmpty() ? Files.createTempDirectory("spark-rnn-fit").toUri().toString() : out;
      try {
        SparkTraining.run(LmParams.config(this, TRAIN_ROWS, valid == null ? "" : VALID_ROWS, runDir), sc,
            name -> new SparkText(name + " (column " + in + ")", texts.get(name)));
        try (RunFolder run = RunFolder.existing(runDir)) {
          RnnLanguageModelModel model = new RnnLanguageModelModel(uid, run.loadCheckpoint(),
              run.readText("summary.json"));
          copyValues(model, ParamMap.empty());
          return model.setParent(this);
        }
      } finally {
        if (out.isEmpty()) {
          RunFolder.delete(runDir);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      texts.values().forEach(rdd -> rdd.unpersist(false));
    }
  }

  /**
   * What the command line sets on its own session and a given one may lack: one attempt of a task at a time (a
   * partition's carried state lives in its executor), and one BLAS thread per task (Spark runs a task per core).
   */
  private static void requireSettings(SparkConf conf) {
    if (conf.getBoolean("spark.speculation", false)) {
      throw new IllegalArgumentException("spark.speculation=true runs copies of slow tasks, which training cannot"
          + " allow (a partition's state lives in its executor); fit in a session without it");
    }
    if (!conf.contains("spark.executorEnv.OPENBLAS_NUM_THREADS") && System.getenv("OPENBLAS_NUM_THREADS") == null) {
      LOG.warn("OPENBLAS_NUM_THREADS is not set: every task's BLAS may start a thread per core. Set"
          + " spark.executorEnv.OPENBLAS_NUM_THREADS=1 (spark-rnn train does)");
    }
  }

  /**
   * The rows as lines of whitespace-separated tokens, in the DataFrame's order: the text the command line reads from
   * a file. A token holding whitespace would read as several, so it is refused.
   */
  private static JavaRDD<String> lines(Dataset<Row> rows, String column) {
    return rows.select(column).javaRDD().map(r -> {
      if (r.isNullAt(0)) {
        return "";
      }
      List<String> tokens = r.getList(0);
      for (String t : tokens) {
        if (t == null || t.isEmpty() || t.chars().anyMatch(Character::isWhitespace)) {
          throw new IllegalArgumentException("the column " + column + " holds the token '" + t + "': tokens must be"
              + " non-empty and free of whitespace (split on whitespace, e.g. RegexTokenizer with pattern \\s+)");
        }
      }
      return String.join(" ", tokens);
    });
  }

  @Override
  public RnnLanguageModel copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  public static MLReader<RnnLanguageModel> read() {
    return new DefaultParamsReader<>();
  }

  public static RnnLanguageModel load(String path) {
    return read().load(path);
  }
}
