package io.sparkrnn.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TasksTest {
  @Test
  void binaryAdditionSumsEveryHeldOutPairExactly() {
    assertEquals(1.0, BinaryAddition.run(16, 1500, 1), "fraction of held-out pairs summed exactly");
  }

  @Test
  void sineWavePredictionBeatsRepeatingTheLastValueTenfold() {
    double mse = SineWave.run(16, 1500, 1);
    assertTrue(mse < 5e-4, "test MSE " + mse);
  }

  @Test
  void digitsByScanningRowsReach95PercentHeldOut() throws Exception {
    double acc = Digits.run(Path.of("data/digits/digits.csv"), 64, 40, 1);
    assertTrue(acc >= 0.95, "held-out accuracy " + acc);
  }
}
