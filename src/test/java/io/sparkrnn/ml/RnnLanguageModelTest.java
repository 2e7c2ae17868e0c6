package io.sparkrnn.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkrnn.cli.Main;
import io.sparkrnn.infer.Predictor;
import io.sparkrnn.spark.SparkTraining;
import io.sparkrnn.train.Config;
import io.sparkrnn.train.TrainConfig;
import io.sparkrnn.train.TrainLoop;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.RegexTokenizer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark ML estimator: a Pipeline of RegexTokenizer and RnnLanguageModel fitted on Brown text as a DataFrame trains
 * what the command line trains with the same settings; transform's scores against the model fed word by word; saving
 * and loading both ways.
 */
class RnnLanguageModelTest {
  private static final String TRAIN = "data/brown/valid.txt";
  private static final String VALID = "data/brown/test.txt";
  /** A small model on real text: 30 steps on 2 partitions. */
  private static final String[] SETTINGS = {"vocab.maxSize=500", "model.embed=16", "model.hidden=16",
      "train.bptt=10", "train.batch=4", "train.maxSteps=30", "spark.partitions=2", "log.every=10", "seed=7"};
  static SparkSession spark;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() throws Exception {
    spark = SparkSession.builder().config(SparkTraining.sparkConf(TrainConfig.from(Config.load(null,
        List.of("spark.master=local[2]"))))).getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static Dataset<Row> brownRows() {
    return spark.read().text(TRAIN).withColumn("isValid", functions.lit(false))
        .union(spark.read().text(VALID).withColumn("isValid", functions.lit(true)));
  }

  private static RegexTokenizer tokenizer() {
    return new RegexTokenizer().setInputCol("value").setOutputCol("tokens").setPattern("\\s+")
        .setToLowercase(false);
  }

  private static RnnLanguageModel estimator() {
    RnnLanguageModel lm = new RnnLanguageModel().setValidationIndicatorCol("isValid");
    for (String kv : SETTINGS) {
      lm.setConf(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
    }
    return lm;
  }

  private TrainLoop.Result commandLine(String out) throws Exception {
    List<String> kv = new java.util.ArrayList<>(List.of(SETTINGS));
    kv.addAll(List.of("data.train=" + TRAIN, "data.valid=" + VALID, "data.test=", "out=" + dir.resolve(out)));
    return SparkTraining.run(Config.load(null, kv), JavaSparkContext.fromSparkContext(spark.sparkContext()));
  }

  @Test
  void aPipelineOnADataFrameTrainsWhatTheCommandLineTrains() throws Exception {
    TrainLoop.Result cli = commandLine("cli");
    PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {tokenizer(), estimator()}).fit(brownRows());
    RnnLanguageModelModel lm = (RnnLanguageModelModel) fitted.stages()[1];
    assertTrue(cli.validPpl() > 1 && Double.isFinite(cli.validPpl()), "validation perplexity " + cli.validPpl());
    assertEquals(cli.validPpl(), lm.validationPerplexity(), 0.0);
    assertArrayEquals(cli.params(), lm.checkpoint().params());
    assertEquals(30L, ((Number) lm.summary().get("steps")).longValue());

    // A model saved by the command line reads as the fitted one; the fitted one, saved, opens with the commands.
    RnnLanguageModelModel fromCli = RnnLanguageModelModel.load(dir.resolve("cli").toString());
    assertArrayEquals(lm.checkpoint().params(), fromCli.checkpoint().params());
    assertEquals("16", fromCli.getOrDefault(fromCli.getParam("model.hidden")));
    String saved = dir.resolve("saved").toString();
    lm.setTopK(4).setPerplexityCol("ppl").write().save(saved);
    assertEquals(0, Main.run("evaluate", "--run", saved, VALID, "spark.master=none"));
    RnnLanguageModelModel loaded = RnnLanguageModelModel.load(saved);
    assertEquals(lm.uid(), loaded.uid());
    assertEquals(4, loaded.getOrDefault(loaded.getParam("topK")));
    assertEquals("ppl", loaded.getOrDefault(loaded.getParam("perplexityCol")));
    assertEquals("16", loaded.getOrDefault(loaded.getParam("model.embed")));
    assertArrayEquals(lm.checkpoint().params(), loaded.checkpoint().params());
    assertEquals(lm.validationPerplexity(), loaded.validationPerplexity(), 0.0);

    // The whole pipeline through Spark ML's own persistence.
    String pipelineDir = dir.resolve("pipeline").toString();
    fitted.write().save(pipelineDir);
    Dataset<Row> rows = brownRows().limit(40);
    assertEquals(fitted.transform(rows).collectAsList(), PipelineModel.load(pipelineDir).transform(rows)
        .collectAsList());
  }

  @Test
  void transformScoresEachRowAsTheModelFedWordByWordDoes() throws Exception {
    commandLine("run");
    RnnLanguageModelModel lm = RnnLanguageModelModel.load(dir.resolve("run").toString()).setTopK(3);
    // 25 sentences, and rows of 63, 64, 65 and 150 tokens around the scorer's chunk of 64 steps.
    List<String> words = List.of(String.join(" ", java.nio.file.Files.readAllLines(Path.of(VALID)).subList(0, 40))
        .split(" "));
    List<String> longRows = new java.util.ArrayList<>();
    for (int n : new int[] {63, 64, 65, 150}) {
      longRows.add(String.join(" ", words.subList(0, n)));
    }
    Dataset<Row> rows = tokenizer().transform(spark.read().text(VALID).limit(25)
        .union(spark.createDataset(longRows, org.apache.spark.sql.Encoders.STRING()).toDF("value")));
    List<Row> scored = lm.transform(rows).collectAsList();
    Predictor p = Predictor.of(lm.checkpoint());
    assertEquals(29, scored.size());
    for (Row r : scored) {
      List<String> tokens = r.getList(r.fieldIndex("tokens"));
      if (tokens.isEmpty()) {
        assertTrue(r.isNullAt(r.fieldIndex("logLikelihood")));
        continue;
      }
      Predictor.Context c = p.start("");
      double ll = 0;
      for (String w : tokens) {
        int id = p.vocab().id(w);
        ll += c.logProbs()[id];
        c = p.next(c, id);
      }
      List<String> best = new java.util.ArrayList<>();
      for (int id : Predictor.topK(c.logProbs(), 3)) {
        best.add(p.vocab().word(id));
      }
      ll += c.logProbs()[io.sparkrnn.data.Vocab.EOS_ID];
      assertEquals(ll, r.getDouble(r.fieldIndex("logLikelihood")), 1e-3 * Math.abs(ll));
      assertEquals(tokens.size() + 1, r.getInt(r.fieldIndex("numTokens")));
      assertEquals(Math.exp(-r.getDouble(r.fieldIndex("logLikelihood")) / (tokens.size() + 1)),
          r.getDouble(r.fieldIndex("perplexity")), 1e-9);
      assertEquals(best, r.getList(r.fieldIndex("nextWords")));
    }
  }

  @Test
  void badColumnsAndSettingsAreRefusedInOneSentence() {
    Dataset<Row> text = spark.read().text(VALID);
    IllegalArgumentException noColumn = assertThrows(IllegalArgumentException.class,
        () -> new RnnLanguageModel().fit(text));
    assertEquals("the input has no column tokens; its columns: value", noColumn.getMessage());
    IllegalArgumentException notTokens = assertThrows(IllegalArgumentException.class,
        () -> new RnnLanguageModel().setInputCol("value").fit(text));
    assertEquals("the column value must be an array of strings (tokens), not string", notTokens.getMessage());
    IllegalArgumentException badValue = assertThrows(IllegalArgumentException.class,
        () -> new RnnLanguageModel().setConf("model.hidden", "big").fit(tokenizer().transform(text)));
    assertTrue(badValue.getMessage().startsWith("model.hidden must be an integer"), badValue.getMessage());
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> new RnnLanguageModel().setConf("model.hiden", 8));
    assertTrue(unknown.getMessage().startsWith("unknown config key 'model.hiden'"), unknown.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new RnnLanguageModel().setConf("data.train", "x.txt"));
    String explained = new RnnLanguageModel().setConf("model.hidden", 64).explainParams();
    assertTrue(explained.contains("model.hidden: hidden size H (default: 256, current: 64)"), explained);
    assertFalse(new RnnLanguageModel().hasParam("data.train"));
  }
}
