package io.sparkrnn.train;

import java.io.IOException;
import java.util.Map;

/**
 * What a model family adds to the driver loop's evaluations besides perplexity (a translator's BLEU) and to the
 * report (attention heatmaps). Runs on the driver with the current parameters.
 */
public interface RunExtras {
  RunExtras NONE = new RunExtras() {
    @Override
    public Map<String, Object> evaluate(float[] params, String split, boolean last) {
      return Map.of();
    }

    @Override
    public String report(float[] params) {
      return "";
    }
  };

  /**
   * Metrics of {@code split}, named {@code <split>_<metric>} (none for a split the run does not have);
   * {@code last}: the run's final evaluation.
   */
  Map<String, Object> evaluate(float[] params, String split, boolean last) throws IOException;

  /** HTML sections for report.html from the final parameters. */
  String report(float[] params) throws IOException;
}
