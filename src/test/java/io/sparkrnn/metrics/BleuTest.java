package io.sparkrnn.metrics;

import static io.sparkrnn.metrics.SacreBleuFixtures.DIR;
import static io.sparkrnn.metrics.SacreBleuFixtures.lines;
import static io.sparkrnn.metrics.SacreBleuFixtures.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkrnn.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The project's BLEU against sacreBLEU's, on the fixtures jobs/bleu_fixtures.py wrote with sacreBLEU. */
class BleuTest {
  @Test
  void tokenisesAsSacreBleus13a() throws Exception {
    for (String row : lines("tokens.tsv")) {
      String[] f = row.split("\t", -1);
      assertEquals(f[1], String.join(" ", Bleu.tokenize13a(f[0])), "13a tokens of '" + f[0] + "'");
    }
  }

  @Test
  void corpusScoresEqualSacreBleusWithinOneHundredth() throws Exception {
    int compared = 0;
    for (String[] f : rows("sacrebleu.tsv")) {
      Bleu.Score s = Bleu.corpus(lines(f[0] + ".ref"), lines(f[0] + ".hyp"));
      assertEquals(Double.parseDouble(f[1]), s.bleu(), 0.01, f[0]);
      assertEquals(Long.parseLong(f[2]), s.hypothesisLength(), f[0]);
      assertEquals(Long.parseLong(f[3]), s.referenceLength(), f[0]);
      assertEquals(f[4], s.toString(), f[0]);
      compared++;
    }
    assertEquals(3, compared);
  }

  @Test
  void identicalTextScoresOneHundredAndDisjointTextZero() {
    List<String> ref = List.of("the quick brown fox jumps", "over the lazy dog today");
    assertEquals(100.0, Bleu.corpus(ref, ref).bleu(), 1e-9);
    assertEquals(0.0, Bleu.corpus(ref, List.of("a b c d e", "f g h i j")).bleu(), 0);
    assertThrows(IllegalArgumentException.class, () -> Bleu.corpus(ref, List.of("one line")));
  }

  @Test
  void theCommandPrintsTheScoreOnItsLastLine() throws Exception {
    PrintStream stdout = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, Main.run("bleu", DIR.resolve("messages.ref").toString(), DIR.resolve("messages.hyp").toString()));
    } finally {
      System.setOut(stdout);
    }
    String[] printed = out.toString(StandardCharsets.UTF_8).strip().split("\n");
    assertEquals(Bleu.corpus(lines("messages.ref"), lines("messages.hyp")).toString(), printed[printed.length - 1]);
    out.reset();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, Main.run("bleu", "--chrf", DIR.resolve("messages.ref").toString(),
          DIR.resolve("messages.hyp").toString()));
    } finally {
      System.setOut(stdout);
    }
    assertEquals(List.of("chrF2 = 86.00", printed[printed.length - 1]),
        List.of(out.toString(StandardCharsets.UTF_8).strip().split("\n")));
    StringWriter err = new StringWriter();
    assertEquals(2, Main.run(new PrintWriter(err, true), "bleu", DIR.resolve("missing.ref").toString(),
        DIR.resolve("messages.hyp").toString()));
    assertEquals("error: " + DIR.resolve("missing.ref") + " does not exist", err.toString().strip());
  }
}
