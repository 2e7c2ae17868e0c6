package io.sparkrnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
  @Test
  void givesRoundedNumbersWithUnits() {
    assertEquals("5 min 44 s", ReportFormat.value("seconds", 343.6));
    assertEquals("42.0 s", ReportFormat.value("seconds", 42.0));
    assertEquals("2 h 05 min", ReportFormat.value("seconds", 7500.0));
    assertEquals("5,614 tokens/s", ReportFormat.value("tokens_per_s", 5613.7));
    assertEquals("1,672,440 tokens", ReportFormat.value("train_tokens", 1672440L));
    assertEquals("4.792 nats per token", ReportFormat.value("train_loss", 4.79183));
    assertEquals("119.83", ReportFormat.value("valid_ppl", 119.82765646356401));
    assertEquals("7,767,331 (31.1 MB as float32)", ReportFormat.value("params", 7767331));
    assertEquals("0.002", ReportFormat.value("lr", 0.002));
    assertEquals("not measured", ReportFormat.value("test_ppl", Double.NaN));
    assertEquals("validation perplexity", ReportFormat.label("valid_ppl"));
  }

  @TempDir
  Path dir;

  @Test
  void showsResultsCurvesTimeSplitAndConfiguration() throws Exception {
    String html = sampleReport();
    assertTrue(html.contains("<td>training time</td><td class=\"n\">5 min 44 s</td>"), html);
    assertTrue(html.contains("5,614 tokens/s"));
    assertTrue(!html.contains("config_changes"), "the configuration has its own table");
    assertTrue(html.contains("<tr class=\"changed\"><td>model.hidden</td><td>64</td><td>default 256</td>"), html);
    assertTrue(html.contains("<tr class=\"changed\"><td>optim.lr</td><td>0.01</td>"));
    assertTrue(html.contains("<tr><td>model.cell</td><td>lstm</td><td></td>"), "unchanged keys are listed too");
    List<String> charts = new ArrayList<>();
    Matcher m = Pattern.compile("<img alt=\"([^\"]+)\" src=\"data:image/png;base64,([^\"]+)\">").matcher(html);
    while (m.find()) {
      BufferedImage png = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(2))));
      assertEquals(800, png.getWidth(), m.group(1));
      charts.add(m.group(1));
    }
    assertEquals(List.of("Training loss", "Perplexity", "Throughput", "Where a step's time went"), charts);
  }

  /** The page as a real browser shows it: headless Chromium where it is installed (.ci/run installs it). */
  @Test
  void chromiumShowsTheCharts() throws Exception {
    Path chromium = Path.of("/usr/bin/chromium");
    Assumptions.assumeTrue(Files.isExecutable(chromium), "chromium is not installed: the browser check is skipped");
    Path page = dir.resolve("report.html");
    Files.writeString(page, sampleReport());
    Path png = dir.resolve("report.png");
    Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + dir.resolve("profile"), "--window-size=1000,2400", "--screenshot=" + png,
        page.toUri().toString()).redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile())
        .start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not finish in 2 minutes");
    BufferedImage shot = ImageIO.read(png.toFile());
    // Coloured pixels are the charts' lines and areas (text and frames are black, white and grey): many of them
    // only if the browser decoded and drew the inline images.
    int coloured = 0;
    for (int y = 0; y < shot.getHeight(); y++) {
      for (int x = 0; x < shot.getWidth(); x++) {
        int rgb = shot.getRGB(x, y);
        int r = rgb >> 16 & 255;
        int g = rgb >> 8 & 255;
        int b = rgb & 255;
        if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 80) {
          coloured++;
        }
      }
    }
    assertTrue(coloured > 20_000, "coloured pixels in the screenshot: " + coloured);
  }

  private static String sampleReport() throws Exception {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("steps", 300L);
    summary.put("seconds", 343.6);
    summary.put("tokens_per_s", 5613.7);
    summary.put("valid_ppl", 119.83);
    summary.put("config_changes", "model.hidden=256");
    List<Map<String, Object>> metrics = new ArrayList<>();
    for (long step = 100; step <= 300; step += 100) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("step", step);
      row.put("train_loss", 6.0 - step / 100.0);
      row.put("train_ppl", Math.exp(6.0 - step / 100.0));
      row.put("tokens_per_s", 5000.0 + step);
      row.put("ms_step", 200.0);
      row.put("ms_compute", 170.0);
      row.put("ms_broadcast", 0.5);
      row.put("ms_aggregate", 22.0);
      row.put("ms_update", 6.0);
      metrics.add(row);
    }
    Config config = Config.defaults().with("model.hidden", "64").with("optim.lr", "0.01");
    return Report.html("a run", summary, metrics, config, "");
  }
}
