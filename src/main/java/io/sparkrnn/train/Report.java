package io.sparkrnn.train;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** report.html: the summary and the training curves as PNG charts drawn by XChart, in one file. */
public final class Report {
  private Report() {}

  /** The page; {@code extra} is HTML appended after the curves (a model family's own sections). */
  public static String html(String title, Map<String, Object> summary, List<Map<String, Object>> metrics,
      String extra) throws IOException {
    System.setProperty("java.awt.headless", "true");
    StringBuilder h = new StringBuilder();
    h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>").append(escape(title))
        .append("</title><style>body{font-family:sans-serif;margin:2em}td{padding:2px 12px}</style></head><body>");
    h.append("<h1>").append(escape(title)).append("</h1><table>");
    for (Map.Entry<String, Object> e : summary.entrySet()) {
      h.append("<tr><td>").append(escape(e.getKey())).append("</td><td>").append(escape(String.valueOf(e.getValue())))
          .append("</td></tr>");
    }
    h.append("</table>");
    h.append(chart("Training loss (mean NLL per token)", "loss", metrics, "train_loss", null));
    h.append(chart("Perplexity", "perplexity", metrics, "train_ppl", "valid_ppl"));
    h.append(chart("BLEU (greedy decoding)", "BLEU", metrics, "valid_bleu", null));
    h.append(extra);
    h.append("</body></html>\n");
    return h.toString();
  }

  private static String chart(String title, String yTitle, List<Map<String, Object>> rows, String key1, String key2)
      throws IOException {
    XYChart c = new XYChartBuilder().width(800).height(400).title(title).xAxisTitle("step").yAxisTitle(yTitle).build();
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
    c.addSeries(key, x, y).setMarker(x.size() > 30 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
    return true;
  }

}
