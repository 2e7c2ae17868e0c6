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
    assertEquals("model.cell must be lstm, gru or rnn, not 'tree'", error("model.cell=tree"));
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
}
