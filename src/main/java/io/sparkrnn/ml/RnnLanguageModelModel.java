package io.sparkrnn.ml;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sparkrnn.data.Vocab;
import io.sparkrnn.infer.Predictor;
import io.sparkrnn.nn.ModelSpec;
import io.sparkrnn.train.Checkpoint;
import io.sparkrnn.train.Config;
import io.sparkrnn.train.RunFolder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/**
 * A fitted {@link RnnLanguageModel}: {@code transform} adds each row's log-likelihood, token count and perplexity
 * (the row read as a sentence after {@code </s>}, as training reads sentences), and with {@code topK} the most likely
 * next words. It is saved as a run folder ({@code checkpoint/model.ckpt}, config.properties, summary.json) plus Spark
 * ML's {@code metadata}, so {@code spark-rnn evaluate|predict|generate --run PATH} open it, and {@link #load} opens a
 * run folder written by {@code spark-rnn train} as well.
 */
public final class RnnLanguageModelModel extends Model<RnnLanguageModelModel>
    implements MLWritable, ColumnSetters<RnnLanguageModelModel> {
  private static final JsonMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
  private final String uid;
  private final Param<?>[] params;
  private final transient Checkpoint checkpoint;
  private final String summary;

  RnnLanguageModelModel(String uid, Checkpoint checkpoint, String summary) {
    this.uid = uid;
    this.params = LmParams.create(uid);
    this.checkpoint = checkpoint;
    this.summary = summary;
    LmParams.setDefaults(this);
    checkpoint.languageModel(); // a clear error for a checkpoint of another model family
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public Param<?>[] params() {
    return params;
  }

  @Override
  public RnnLanguageModelModel setParam(String name, Object value) {
    set(LmParams.param(this, name), value);
    return this;
  }

  /** The trained model: parameters, vocabulary, configuration and optimizer state. */
  public Checkpoint checkpoint() {
    return checkpoint;
  }

  /** The training run's summary.json (steps, tokens/s, valid_ppl, ...); empty where the run folder has none. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> summary() {
    try {
      return summary == null ? Map.of() : JSON.readValue(summary, Map.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Validation perplexity at the end of training, computed as {@code spark-rnn train} computes it (NaN: none). */
  public double validationPerplexity() {
    Object v = summary().get("valid_ppl");
    return v instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return LmParams.outputSchema(this, schema, false);
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType out = transformSchema(dataset.schema());
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
    Broadcast<ModelSpec> spec = sc.broadcast(checkpoint.spec());
    Broadcast<float[]> weights = sc.broadcast(checkpoint.params());
    Broadcast<List<String>> words = sc.broadcast(new ArrayList<>(checkpoint.vocab()));
    int column = dataset.schema().fieldIndex(LmParams.string(this, LmParams.INPUT_COL));
    int k = LmParams.topK(this);
    // Static helpers only: a lambda or inner class that used the model would serialise it into every task.
    MapPartitionsFunction<Row, Row> score = rows -> scoring(rows, new Predictor(spec.value(), weights.value(),
        new Vocab(words.value())), column, k);
    return dataset.toDF().mapPartitions(score, Encoders.row(out));
  }

  private static Iterator<Row> scoring(Iterator<Row> rows, Predictor p, int column, int k) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Row next() {
        return scored(p, rows.next(), column, k);
      }
    };
  }

  /** The row with its scores appended; nulls for a null or empty token array (a blank line predicts nothing). */
  private static Row scored(Predictor p, Row row, int column, int k) {
    Object[] values = new Object[row.length() + (k > 0 ? 4 : 3)];
    for (int i = 0; i < row.length(); i++) {
      values[i] = row.get(i);
    }
    if (!row.isNullAt(column) && !row.getList(column).isEmpty()) {
      Predictor.Score s = p.score(row.getList(column));
      int at = row.length();
      values[at] = s.logLikelihood();
      values[at + 1] = Math.exp(-s.logLikelihood() / s.tokens());
      values[at + 2] = s.tokens();
      if (k > 0) {
        List<String> next = new ArrayList<>();
        for (int id : Predictor.topK(s.next(), k)) {
          next.add(p.vocab().word(id));
        }
        values[at + 3] = next.toArray(new String[0]);
      }
    }
    return RowFactory.create(values);
  }

  @Override
  public RnnLanguageModelModel copy(ParamMap extra) {
    RnnLanguageModelModel copy = new RnnLanguageModelModel(uid, checkpoint, summary);
    copyValues(copy, extra);
    return copy.setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new MLWriter() {
      @Override
      public void saveImpl(String path) {
        try (RunFolder run = RunFolder.forTraining(path, false, true)) {
          run.saveCheckpoint(checkpoint);
          run.writeText("config.properties", checkpoint.config());
          if (summary != null) {
            run.writeText("summary.json", summary);
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        // Last, so that a save that failed on the way is no loadable model.
        DefaultParamsWriter.saveMetadata(RnnLanguageModelModel.this, path, sparkSession()); // path/metadata
      }
    };
  }

  public static MLReader<RnnLanguageModelModel> read() {
    return new MLReader<>() {
      @Override
      public RnnLanguageModelModel load(String path) {
        try (RunFolder run = RunFolder.existing(path)) {
          Checkpoint ck = run.loadCheckpoint();
          String summary = run.exists("summary.json") ? run.readText("summary.json") : null;
          if (run.exists("metadata")) { // saved by write(): Spark ML's params and uid
            DefaultParamsReader.Metadata meta = DefaultParamsReader.loadMetadata(path, sparkSession(),
                RnnLanguageModelModel.class.getName());
            RnnLanguageModelModel model = new RnnLanguageModelModel(meta.uid(), ck, summary);
            meta.getAndSetParams(model, Option.empty());
            return model;
          }
          // A run folder of spark-rnn train: its settings become the params.
          RnnLanguageModelModel model = new RnnLanguageModelModel(
              Identifiable$.MODULE$.randomUID("rnnLanguageModel"), ck, summary);
          LmParams.setFrom(model, Config.parse(ck.config()));
          return model;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
  }

  public static RnnLanguageModelModel load(String path) {
    return read().load(path);
  }
}
