package io.sparkrnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigTest {
  private static String error(String... kv) {
    return assertThrows(IllegalArgumentException.class, () -> TrainConfig.from(Config.load(null, List.of(kv))))
        .getMessage();
  }

  @Test
  void badSettingsAreNamed() {
    assertEquals(true, error("model.hiden=3").startsWith("unknown config key 'model.hiden'"));
    assertEquals("train.bptt must be an integer ≥ 1, not 0", error("train.bptt=0"));
    assertEquals("model.hidden must be an integer ≥ 1, not -4", error("model.hidden=-4"));
    assertEquals("optim.lr must be a number in [0.0, 1000.0], not NaN", error("optim.lr=NaN"));
    assertEquals("model.cell must be lstm, gru or rnn for model.family=lm, not 'tree'", error("model.cell=tree"));
    assertEquals("'bptt' is not a key=value setting", error("bptt"));
  }

  /** The README's configuration table lists every key with its default (regenerate it with keys --markdown). */
  @Test
  void theReadmeTableListsEveryKeyWithItsDefault() throws Exception {
    String readme = java.nio.file.Files.readString(java.nio.file.Path.of("README.md"));
    for (Config.Key k : Config.KEYS) {
      String row = "| `" + k.name() + "` | " + (k.value().isEmpty() ? "(empty)" : "`" + k.value() + "`") + " |";
      assertEquals(true, readme.contains(row), "README.md lacks the row " + row + " (run: jobs/run.sh keys --markdown)");
    }
  }

  @Test
  void configTextRoundTrips() throws Exception {
    Config c = Config.load(null, List.of("model.cell=gru", "out=a b\\c"));
    assertEquals(c.toText(), Config.parse(c.toText()).toText());
    assertEquals("a b\\c", Config.parse(c.toText()).get("out"));
  }

  private static boolean allReduce(String... kv) throws Exception {
    return TrainConfig.from(Config.load(null, List.of(kv))).allReduce();
  }

  @Test
  void autoAggregationPicksTheAllReduceOnAClusterOnly() throws Exception {
    assertEquals(false, allReduce("spark.master=local[2]"));
    assertEquals(false, allReduce("spark.master=none"));
    assertEquals(true, allReduce("spark.master=spark://10.0.0.1:7077"));
    assertEquals(true, allReduce("spark.master=yarn", "model.family=seq2seq"));
    assertEquals(false, allReduce("spark.master=yarn", "model.family=word2vec"));
    assertEquals(false, allReduce("spark.master=yarn", "optim.average=nt", "data.valid=v.txt"));
    assertEquals(false, allReduce("spark.master=yarn", "spark.aggregation=driver"));
    assertEquals(true, allReduce("spark.master=local[2]", "spark.aggregation=allreduce"));
    String was = System.getProperty("spark.dynamicAllocation.enabled");
    System.setProperty("spark.dynamicAllocation.enabled", "true"); // as spark-submit passes it
    try {
      assertEquals(false, allReduce("spark.master=yarn"), "Spark runs no barrier stage with dynamic allocation");
    } finally {
      if (was == null) {
        System.clearProperty("spark.dynamicAllocation.enabled");
      } else {
        System.setProperty("spark.dynamicAllocation.enabled", was);
      }
    }
    assertEquals("spark.aggregation must be driver, allreduce or auto, not 'ring'", error("spark.aggregation=ring"));
  }
}
