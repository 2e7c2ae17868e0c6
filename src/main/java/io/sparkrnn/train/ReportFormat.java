package io.sparkrnn.train;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;
import java.util.Map;

/** The names and values of summary.json and metrics.jsonl as a reader wants them: words, rounded, with units. */
final class ReportFormat {
  private ReportFormat() {}

  private static final Map<String, String> LABELS = Map.ofEntries(Map.entry("train_tokens", "training tokens"),
      Map.entry("seconds", "training time"), Map.entry("tokens_per_s", "throughput"),
      Map.entry("train_loss", "training loss"), Map.entry("train_ppl", "training perplexity"),
      Map.entry("valid_ppl", "validation perplexity"), Map.entry("test_ppl", "test perplexity"),
      Map.entry("valid_bleu", "validation BLEU"), Map.entry("test_bleu", "test BLEU"),
      Map.entry("params", "parameters"), Map.entry("blas", "BLAS"), Map.entry("streams", "streams (batch)"));

  static String label(String key) {
    return LABELS.getOrDefault(key, key.replace('_', ' '));
  }

  static String value(String key, Object v) {
    if (!(v instanceof Number n)) {
      return String.valueOf(v);
    }
    double d = n.doubleValue();
    if (!Double.isFinite(d)) {
      return "not measured";
    }
    return switch (key) {
      case "seconds" -> duration(d);
      case "tokens_per_s" -> String.format(Locale.ROOT, "%,.0f tokens/s", d);
      case "train_tokens" -> String.format(Locale.ROOT, "%,d tokens", n.longValue());
      case "train_loss" -> String.format(Locale.ROOT, "%.3f nats per token", d);
      case "params" -> String.format(Locale.ROOT, "%,d (%.1f MB as float32)", n.longValue(), 4 * d / 1e6);
      default -> key.endsWith("_ppl") || key.contains("_bleu") || key.contains("_chrf")
          ? String.format(Locale.ROOT, "%.2f", d)
          : n instanceof Double || n instanceof Float ? significant(d, 4) : String.format(Locale.ROOT, "%,d",
              n.longValue());
    };
  }

  /** Seconds as "42.0 s", "5 min 44 s" or "2 h 05 min". */
  static String duration(double s) {
    if (s < 60) {
      return String.format(Locale.ROOT, "%.1f s", s);
    }
    long r = Math.round(s);
    return r < 3600 ? String.format(Locale.ROOT, "%d min %02d s", r / 60, r % 60)
        : String.format(Locale.ROOT, "%d h %02d min", r / 3600, r % 3600 / 60);
  }

  static String significant(double d, int digits) {
    return new BigDecimal(d).round(new MathContext(digits)).stripTrailingZeros().toPlainString();
  }
}
