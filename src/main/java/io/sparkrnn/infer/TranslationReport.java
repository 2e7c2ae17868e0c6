package io.sparkrnn.infer;

import io.sparkrnn.metrics.Bleu;
import io.sparkrnn.metrics.ChrF;
import io.sparkrnn.train.Report;
import io.sparkrnn.train.RunExtras;
import io.sparkrnn.train.RunFolder;
import io.sparkrnn.train.Seq2SeqCard;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BLEU of an encoder-decoder run, against the reference translations as they are in the files (detokenised;
 * sacreBLEU's 13a tokenisation): at each epoch's end greedy BLEU on the first {@value #CURVE_SENTENCES}
 * validation pairs (the report's curve, {@code valid_bleu}); at the end greedy and beam BLEU on the whole valid and
 * test splits ({@code <split>_bleu_greedy}, {@code <split>_bleu_beam}), the translations written to
 * {@code <split>.hyp} in the run folder (beam search's, one per line), and attention heatmaps of the first
 * {@value #HEATMAPS} test sentences in the report.
 */
public final class TranslationReport implements RunExtras {
  private static final Logger LOG = LoggerFactory.getLogger(TranslationReport.class);
  static final int CURVE_SENTENCES = 1000;
  static final int HEATMAPS = 3;

  /** A split's source sentences and their reference translations. */
  public record Texts(List<String> sources, List<String> references) {}

  private final Seq2SeqCard card;
  private final Map<String, Texts> splits;
  private final RunFolder run;
  private final int beam;
  private final double alpha;
  private List<Translator.Translation> lastTest;

  public TranslationReport(Seq2SeqCard card, Map<String, Texts> splits, RunFolder run, int beam, double alpha) {
    this.card = card;
    this.splits = splits;
    this.run = run;
    this.beam = beam;
    this.alpha = alpha;
  }

  @Override
  public Map<String, Object> evaluate(float[] params, String split, boolean last) throws IOException {
    Texts t = splits.get(split);
    Map<String, Object> out = new LinkedHashMap<>();
    if (t == null) {
      return out;
    }
    Translator translator = new Translator(card, params);
    if (!last) {
      int n = Math.min(CURVE_SENTENCES, t.sources().size());
      List<Translator.Translation> greedy = translator.greedy(t.sources().subList(0, n));
      double bleu = bleu(translator, t.references().subList(0, n), greedy);
      LOG.info(String.format("%s BLEU %.2f (greedy, first %,d pairs)", split, bleu, n));
      out.put(split + "_bleu", bleu);
      return out;
    }
    long t0 = System.nanoTime();
    List<Translator.Translation> best = translator.greedy(t.sources());
    double greedy = bleu(translator, t.references(), best);
    out.put(split + "_bleu_greedy", greedy);
    double seconds = (System.nanoTime() - t0) / 1e9;
    String line = String.format("%s BLEU %.2f greedy (%.0f s)", split, greedy, seconds);
    if (beam > 1) {
      t0 = System.nanoTime();
      best = translator.translate(t.sources(), beam, alpha);
      double b = bleu(translator, t.references(), best);
      out.put(split + "_bleu_beam", b);
      line += String.format(", %.2f beam %d (%.0f s)", b, beam, (System.nanoTime() - t0) / 1e9);
    }
    List<String> texts = best.stream().map(translator::text).toList();
    double chrf = ChrF.corpus(t.references(), texts).chrf(); // of the translations written below
    out.put(split + (beam > 1 ? "_chrf_beam" : "_chrf_greedy"), chrf);
    LOG.info(line + String.format(", chrF2 %.2f, ", chrf) + t.sources().size() + " sentences");
    run.writeText(split + ".hyp", String.join("\n", texts) + "\n");
    if (split.equals("test")) {
      lastTest = best;
    }
    return out;
  }

  private static double bleu(Translator translator, List<String> references, List<Translator.Translation> hyps) {
    return Bleu.corpus(references, hyps.stream().map(translator::text).toList()).bleu();
  }

  @Override
  public String report(float[] params) throws IOException {
    Texts t = splits.get("test");
    if (t == null) {
      return "";
    }
    Translator translator = new Translator(card, params);
    int n = Math.min(HEATMAPS, t.sources().size());
    List<Translator.Translation> tr = lastTest != null ? lastTest.subList(0, n)
        : translator.translate(t.sources().subList(0, n), beam, alpha);
    StringBuilder h = new StringBuilder("<h2>Attention of the first test sentences</h2>");
    for (int i = 0; i < n; i++) {
      h.append("<p>").append(Report.escape(t.sources().get(i))).append("<br>→ ")
          .append(Report.escape(translator.text(tr.get(i)))).append("<br>reference: ")
          .append(Report.escape(t.references().get(i))).append("</p>");
      h.append(Report.image(heatmap(translator.sourceWords(t.sources().get(i)), targetWords(translator, tr.get(i)),
          tr.get(i).attention()), "attention of test sentence " + (i + 1)));
    }
    return h.toString();
  }

  private static List<String> targetWords(Translator translator, Translator.Translation t) {
    List<String> out = new ArrayList<>(List.of(translator.text(t).split(" ")));
    if (t.ids().length == 0) {
      out.clear();
    }
    if (t.ended()) {
      out.add("</s>");
    }
    return out;
  }

  /** Source positions across, output steps down; a label is its position and word, so repeated words stay apart. */
  static HeatMapChart heatmap(List<String> source, List<String> target, float[][] weights) {
    List<String> x = new ArrayList<>();
    for (int i = 0; i < source.size(); i++) {
      x.add((i + 1) + " " + source.get(i));
    }
    List<String> y = new ArrayList<>();
    for (int i = target.size() - 1; i >= 0; i--) {
      y.add((i + 1) + " " + target.get(i));
    }
    List<Number[]> cells = new ArrayList<>();
    for (int r = 0; r < target.size(); r++) {
      for (int c = 0; c < source.size(); c++) {
        cells.add(new Number[] {c, target.size() - 1 - r, weights[r][c]});
      }
    }
    HeatMapChart chart = new HeatMapChartBuilder().width(120 + 60 * source.size()).height(160 + 28 * target.size())
        .title("attention weights").build();
    chart.getStyler().setXAxisLabelRotation(60);
    chart.getStyler().setMin(0).setMax(1);
    chart.getStyler().setRangeColors(new java.awt.Color[] {java.awt.Color.WHITE, new java.awt.Color(20, 60, 150)});
    chart.getStyler().setLegendVisible(false);
    chart.addSeries("attention", x, y, cells);
    return chart;
  }
}
