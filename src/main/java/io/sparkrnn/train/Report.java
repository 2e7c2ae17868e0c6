package io.sparkrnn.train;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * report.html, one self-contained file: the results in rounded numbers with their units, the training
 * curves, the throughput and where each step's time went over the run (PNG charts drawn by XChart), and
 * the configuration, the keys changed from their defaults first.
 */
public final class Report {
  private Report() {}

  /** The parts of a step's time in metrics.jsonl, bottom to top in the chart. */
  private static final String[][] TIME_PARTS = {{"ms_compute", "compute"},
      {"ms_broadcast", "broadcast"}, {"ms_aggregate", "aggregation"}, {"ms_update", "update"}};

  /** The page; {@code extra} is HTML appended after the curves (a model family's own sections). */
  public static String html(String title, Map<String, Object> summary, List<Map<String, Object>> metrics,
      Config config, String extra) throws IOException {
    StringBuilder h = new StringBuilder();
    h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>").append(escape(title))
        .append("</title><style>body{font-family:sans-serif;margin:2em;max-width:60em}td{padding:2px 12px}"
            + "td.n{text-align:right}tr.changed td:nth-child(-n+2){font-weight:bold}</style></head><body>");
    h.append("<h1>").append(escape(title)).append("</h1><h2>Results</h2><table>");
    results(summary).forEach((label, value) -> h.append("<tr><td>").append(escape(label))
        .append("</td><td class=\"n\">").append(escape(value)).append("</td></tr>"));
    h.append("</table><h2>Training</h2>");
    h.append(chart("Training loss", "mean NLL per token (nats)", metrics, "train_loss", null));
    h.append(chart("Perplexity", "perplexity", metrics, "train_ppl", "valid_ppl"));
    h.append(chart("BLEU (greedy decoding)", "BLEU", metrics, "valid_bleu", null));
    h.append(chart("Throughput", "training tokens/s", metrics, "tokens_per_s", null));
    h.append(timeSplit(metrics));
    h.append(extra);
    h.append(configuration(config));
    h.append("</body></html>\n");
    return h.toString();
  }

  /** The results as a Markdown table, rounded, with units. */
  public static String markdown(Map<String, Object> summary) {
    StringBuilder m = new StringBuilder("| result | value |\n|---|---|\n");
    results(summary).forEach((label, value) -> m.append("| ").append(label).append(" | ")
        .append(value.replace("|", "\\|")).append(" |\n"));
    return m.toString();
  }

  /** summary.json's entries as the reader sees them, label to value (the configuration has its own table). */
  private static Map<String, String> results(Map<String, Object> summary) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    summary.forEach((key, value) -> {
      if (!key.equals("config_changes")) {
        out.put(ReportFormat.label(key), ReportFormat.value(key, value));
      }
    });
    return out;
  }

  /** The settings, those changed from the default first and in bold; the rest folded. */
  private static String configuration(Config config) {
    StringBuilder changed = new StringBuilder();
    StringBuilder rest = new StringBuilder();
    for (Config.Key k : Config.KEYS) {
      String v = config.get(k.name());
      boolean isChanged = !v.equals(k.value());
      (isChanged ? changed : rest).append(isChanged ? "<tr class=\"changed\"><td>" : "<tr><td>")
          .append(escape(k.name())).append("</td><td>").append(escape(v)).append("</td><td>")
          .append(escape(isChanged ? "default " + k.value() : "")).append("</td><td>").append(escape(k.doc()))
          .append("</td></tr>");
    }
    return "<h2>Configuration</h2><table>" + changed + "</table><details><summary>the other keys, at their defaults"
        + "</summary><table>" + rest + "</table></details>";
  }

  /** A step's time split into its parts, stacked, over the run; "other" is the rest of the wall time. */
  private static String timeSplit(List<Map<String, Object>> rows) throws IOException {
    List<Double> x = new ArrayList<>();
    List<double[]> stacked = new ArrayList<>(); // per row: the running sums, then the whole step
    for (Map<String, Object> r : rows) {
      if (r.get("step") instanceof Number s && r.get("ms_step") instanceof Number total) {
        double[] sums = new double[TIME_PARTS.length + 1];
        double sum = 0;
        for (int i = 0; i < TIME_PARTS.length; i++) {
          sum += r.get(TIME_PARTS[i][0]) instanceof Number n ? n.doubleValue() : 0;
          sums[i] = sum;
        }
        sums[TIME_PARTS.length] = Math.max(sum, total.doubleValue());
        x.add(s.doubleValue());
        stacked.add(sums);
      }
    }
    if (x.isEmpty()) {
      return "";
    }
    XYChart c = newChart("Where a step's time went", "ms per step");
    c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
    // Each area reaches down to zero, so the tallest goes first and every lower one paints over it.
    for (int i = TIME_PARTS.length; i >= 0; i--) {
      List<Double> y = new ArrayList<>();
      for (double[] sums : stacked) {
        y.add(sums[i]);
      }
      String name = i == TIME_PARTS.length ? "other" : TIME_PARTS[i][1];
      c.addSeries(name, x, y).setMarker(SeriesMarkers.NONE);
    }
    return image(c, "Where a step's time went") + "<p>compute: the slowest task's forward and backward passes;"
        + " broadcast, aggregation, update: the parameters out, the gradients in, the optimizer; other: the rest of"
        + " the wall time (scheduling, hand-over, checkpoints, logging).</p>";
  }

  private static String chart(String title, String yTitle, List<Map<String, Object>> rows, String key1, String key2)
      throws IOException {
    XYChart c = newChart(title, yTitle);
    c.getStyler().setMarkerSize(5);
    boolean any = add(c, rows, key1);
    if (key2 != null) {
      any |= add(c, rows, key2);
    }
    if (!any) {
      return "";
    }
    return image(c, title);
  }

  /** A chart over the run's steps, its legend below the plot. */
  private static XYChart newChart(String title, String yTitle) {
    XYChart c = new XYChartBuilder().width(800).height(420).title(title).xAxisTitle("step").yAxisTitle(yTitle).build();
    c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS).setLegendLayout(Styler.LegendLayout.Horizontal);
    return c;
  }

  /** A chart as an inline PNG image. */
  public static String image(org.knowm.xchart.internal.chartpart.Chart<?, ?> c, String alt) throws IOException {
    System.setProperty("java.awt.headless", "true");
    byte[] png = BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG);
    return "<p><img alt=\"" + escape(alt) + "\" src=\"data:image/png;base64,"
        + Base64.getEncoder().encodeToString(png) + "\"></p>";
  }

  /** Text for HTML. */
  public static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static boolean add(XYChart c, List<Map<String, Object>> rows, String key) {
    List<Double> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    for (Map<String, Object> r : rows) {
      if (r.get(key) instanceof Number n && Double.isFinite(n.doubleValue()) && r.get("step") instanceof Number s) {
        x.add(s.doubleValue());
        y.add(n.doubleValue());
      }
    }
    if (x.isEmpty()) {
      return false;
    }
    c.addSeries(ReportFormat.label(key), x, y).setMarker(x.size() > 30 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
    return true;
  }
}
