package io.sparkrnn.ml;

import io.sparkrnn.train.Config;
import io.sparkrnn.train.TrainConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The params of {@link RnnLanguageModel} and its model: one string param per training key of {@link Config}, named
 * as the key (so {@code explainParams} reads like {@code spark-rnn keys}), and the columns. The data keys are the
 * DataFrame's rows, and the master is the session's, so those keys are not params.
 */
final class LmParams {
  static final Set<String> NOT_PARAMS = Set.of("data.train", "data.valid", "data.test", "model.family",
      "spark.master");
  static final String INPUT_COL = "inputCol";
  static final String VALIDATION_COL = "validationIndicatorCol";
  static final String LOG_LIKELIHOOD_COL = "logLikelihoodCol";
  static final String PERPLEXITY_COL = "perplexityCol";
  static final String NUM_TOKENS_COL = "numTokensCol";
  static final String TOP_K = "topK";
  static final String NEXT_WORDS_COL = "nextWordsCol";

  private LmParams() {}

  /** The config keys that are params: all but the data keys, the family and the master. */
  private static List<Config.Key> keys() {
    return Config.KEYS.stream().filter(k -> !NOT_PARAMS.contains(k.name())).toList();
  }

  /** The params of the stage {@code uid}, sorted by name as Spark's own discovery sorts them. */
  static Param<?>[] create(String uid) {
    List<Param<?>> out = new ArrayList<>();
    for (Config.Key k : keys()) {
      String doc = k.name().equals("out") ? "run folder of the fit's checkpoints, metrics and report (empty: a"
          + " temporary folder, deleted once the model is read back)" : k.doc();
      out.add(new Param<>(uid, k.name(), doc, String.class));
    }
    out.add(new Param<>(uid, INPUT_COL, "column of token arrays (array<string>), one sentence per row", String.class));
    out.add(new Param<>(uid, VALIDATION_COL, "boolean column: true marks a validation row, the command line's"
        + " data.valid (empty: no validation)", String.class));
    out.add(new Param<>(uid, LOG_LIKELIHOOD_COL, "output column: natural log-probability of the row's tokens and"
        + " </s>, read as a sentence after </s>", String.class));
    out.add(new Param<>(uid, PERPLEXITY_COL, "output column: exp(-logLikelihood / numTokens)", String.class));
    out.add(new Param<>(uid, NUM_TOKENS_COL, "output column: tokens predicted (the row's tokens and </s>)",
        String.class));
    out.add(new IntParam(uid, TOP_K, "number of most likely next words after the row's last token (0: none)",
        ParamValidators.gtEq(0)));
    out.add(new Param<>(uid, NEXT_WORDS_COL, "output column: the topK most likely next words, most likely first",
        String.class));
    out.sort(Comparator.comparing(Param::name));
    return out.toArray(new Param<?>[0]);
  }

  /** Sets the defaults: the keys' own, no run folder, and the columns' names. */
  static void setDefaults(Params owner) {
    for (Config.Key k : keys()) {
      owner.setDefault(param(owner, k.name()), k.name().equals("out") ? "" : k.value());
    }
    owner.setDefault(param(owner, INPUT_COL), "tokens");
    owner.setDefault(param(owner, VALIDATION_COL), "");
    owner.setDefault(param(owner, LOG_LIKELIHOOD_COL), "logLikelihood");
    owner.setDefault(param(owner, PERPLEXITY_COL), "perplexity");
    owner.setDefault(param(owner, NUM_TOKENS_COL), "numTokens");
    owner.setDefault(owner.getParam(TOP_K), 0);
    owner.setDefault(param(owner, NEXT_WORDS_COL), "nextWords");
  }

  @SuppressWarnings("unchecked")
  static Param<Object> param(Params owner, String name) {
    return (Param<Object>) (Param<?>) owner.getParam(name);
  }

  /** A param's value as text (a key's value may arrive as a number through setParam, a ParamMap or a grid). */
  static String string(Params owner, String name) {
    return String.valueOf(owner.getOrDefault(param(owner, name)));
  }

  static int topK(Params owner) {
    return ((Number) owner.getOrDefault(param(owner, TOP_K))).intValue();
  }

  /** Sets a training key from its value's text; a key that is not a param is refused in one sentence. */
  static void setConf(Params owner, String key, Object value) {
    if (NOT_PARAMS.contains(key)) {
      throw new IllegalArgumentException(key + " is not a param of the estimator: the DataFrame gives the text and"
          + " the Spark session the master");
    }
    Config.defaults().with(Map.of(key, String.valueOf(value)), "setConf"); // an unknown key: the error lists them
    owner.set(param(owner, key), String.valueOf(value));
  }

  /**
   * The training settings: the params, with the data keys naming the DataFrame's rows and {@code out} the run folder
   * (the param's, or {@code runDir} where it is empty).
   */
  static Config config(Params owner, String train, String valid, String runDir) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Config.Key k : keys()) {
      values.put(k.name(), string(owner, k.name()));
    }
    values.put("data.train", train);
    values.put("data.valid", valid);
    values.put("data.test", "");
    if (values.get("out").isEmpty()) {
      values.put("out", runDir);
    }
    return Config.defaults().with(values, "the estimator's params");
  }

  /** Sets the training keys of a stored run configuration (a run folder written by the command line). */
  static void setFrom(Params owner, Config config) {
    for (Config.Key k : keys()) {
      owner.set(param(owner, k.name()), config.get(k.name()));
    }
  }

  /** Checks the input columns and the settings (one sentence naming what is wrong) and adds the output columns. */
  static StructType outputSchema(Params owner, StructType schema, boolean fitting) {
    String in = string(owner, INPUT_COL);
    requireColumn(schema, in, DataTypes.createArrayType(DataTypes.StringType), "an array of strings (tokens)");
    if (fitting) {
      String v = string(owner, VALIDATION_COL);
      if (!v.isEmpty()) {
        requireColumn(schema, v, DataTypes.BooleanType, "boolean");
      }
      TrainConfig.from(config(owner, "rows", v.isEmpty() ? "" : "validation rows", "a temporary folder"));
    }
    StructType out = schema.add(string(owner, LOG_LIKELIHOOD_COL), DataTypes.DoubleType, true)
        .add(string(owner, PERPLEXITY_COL), DataTypes.DoubleType, true)
        .add(string(owner, NUM_TOKENS_COL), DataTypes.IntegerType, true);
    if (topK(owner) > 0) {
      out = out.add(string(owner, NEXT_WORDS_COL), DataTypes.createArrayType(DataTypes.StringType), true);
    }
    for (String name : out.fieldNames()) {
      if (Arrays.stream(out.fieldNames()).filter(name::equals).count() > 1) {
        throw new IllegalArgumentException("the output column " + name + " is already in the input; choose another"
            + " name for it");
      }
    }
    return out;
  }

  private static void requireColumn(StructType schema, String name, DataType type, String what) {
    if (!Arrays.asList(schema.fieldNames()).contains(name)) {
      throw new IllegalArgumentException("the input has no column " + name + "; its columns: "
          + String.join(", ", schema.fieldNames()));
    }
    StructField f = schema.apply(name);
    boolean ok = type instanceof ArrayType a ? f.dataType() instanceof ArrayType b
        && b.elementType().equals(a.elementType()) : f.dataType() instanceof BooleanType;
    if (!ok) {
      throw new IllegalArgumentException("the column " + name + " must be " + what + ", not "
          + f.dataType().simpleString());
    }
  }
}
