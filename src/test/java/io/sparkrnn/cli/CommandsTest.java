package io.sparkrnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkrnn.train.Fixtures;
import io.sparkrnn.train.LocalTraining;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model commands end to end on a small trained model: exit code 0 and what they print. */
class CommandsTest {
  @TempDir
  Path dir;
  String run;

  void train(String... settings) throws Exception {
    String[] all = java.util.stream.Stream.concat(java.util.stream.Stream.of("train.maxSteps=120"),
        java.util.Arrays.stream(settings)).toArray(String[]::new);
    LocalTraining.run(Fixtures.tiny(dir, "run", all));
    run = dir.resolve("run").toString();
  }

  private String ok(String... args) {
    PrintStream saved = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    int code;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      code = Main.run(new PrintWriter(err, true), args);
    } finally {
      System.setOut(saved);
    }
    assertEquals(0, code, err.toString());
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void predictGenerateEvaluateNeighboursAndExport() throws Exception {
    train();
    commandsWork();
  }

  @Test
  void theSameWithAnAdaptiveSoftmax() throws Exception {
    train("model.softmax=adaptive", "model.cutoffs=4,8", "model.tailDiv=1", "train.maxSteps=300");
    commandsWork();
  }

  @Test
  void aTreeClassifierEvaluatesAndPredicts() throws Exception {
    LocalTraining.run(Fixtures.tinyTrees(dir, "trees"));
    String trees = dir.resolve("trees").toString();
    Path test = dir.resolve("listops/test.txt");
    String report = ok("evaluate", "--run", trees, test.toString());
    double logged = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("trees/summary.json")
        .toFile()).get("test_accuracy").asDouble();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("accuracy ([0-9.]+) % \\(([0-9]+) of 200 trees\\)")
        .matcher(report);
    assertTrue(m.find(), report);
    // The same model on the same trees, batched differently: at most a near tie may turn.
    assertEquals(logged, Double.parseDouble(m.group(2)) / 200, 1.0 / 200, report);
    assertTrue(report.contains("depth") && report.contains("tokens") && report.contains("confusion matrix"), report);
    String line = java.nio.file.Files.readAllLines(test).get(0);
    String expression = line.substring(line.indexOf('\t') + 1);
    String one = ok("predict", "--run", trees, expression);
    assertTrue(one.matches("\\Q" + expression + "\\E\t→ [0-9] [01]\\.[0-9]{3}\n"), one);
  }

  @Test
  void compareTellsARepeatedRunFromADifferentOne() throws Exception {
    train();
    LocalTraining.run(Fixtures.tiny(dir, "again", "train.maxSteps=120"));
    String same = ok("compare", run, dir.resolve("again").toString());
    assertTrue(same.contains("\"identical\" : true"), same);
    LocalTraining.run(Fixtures.tiny(dir, "shorter", "train.maxSteps=119"));
    String other = ok("compare", run, dir.resolve("shorter").toString());
    assertTrue(other.contains("\"identical\" : false") && other.contains("\"steps\" : [ 120, 119 ]"), other);
  }

  @Test
  void compareCountsDifferentMetricValuesButNotTimes() {
    Map<String, Object> row = Map.of("step", 10, "train_loss", 5.25, "tokens_per_s", 900.0, "ms_compute", 12.0);
    Map<String, Object> slower = Map.of("step", 10, "train_loss", 5.25, "tokens_per_s", 700.0, "ms_compute", 15.0);
    Map<String, Object> other = Map.of("step", 10, "train_loss", Math.nextUp(5.25), "tokens_per_s", 900.0);
    assertEquals(0, CompareCommand.differingMetrics(List.of(row), List.of(slower)));
    assertEquals(1, CompareCommand.differingMetrics(List.of(row), List.of(other)));
    assertEquals(2, CompareCommand.differingMetrics(List.of(row, row), List.of(row))); // step, train_loss
  }

  private void commandsWork() {
    // The corpus repeats "the cat sat on a mat ..." patterns, so "the cat" is followed by "sat".
    String p = ok("predict", "--run", run, "-k", "3", "the cat");
    assertTrue(p.startsWith("the cat\t→ sat "), p);
    assertTrue(ok("generate", "--run", run, "--mode", "greedy", "the", "cat").contains("the cat | sat on"));
    String beam = ok("generate", "--run", run, "--mode", "beam", "--beam", "3", "the");
    assertTrue(beam.contains("</s>"), beam);
    String sample = ok("generate", "--run", run, "--samples", "2", "--seed", "3", "a");
    assertEquals(sample, ok("generate", "--run", run, "--samples", "2", "--seed", "3", "a"));
    String eval = ok("evaluate", "--run", run, dir.resolve("test.txt").toString(), "spark.master=none");
    assertTrue(eval.contains("test.txt"), eval);
    assertTrue(ok("neighbours", "--run", run, "cat").startsWith("cat\t→ "));
    ok("export", "--run", run, "--to", dir.resolve("export").toString());
    assertEquals(p, ok("predict", "--run", dir.resolve("export").toString(), "-k", "3", "the cat"));
  }
}
