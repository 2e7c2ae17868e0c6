package io.sparkrnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkrnn.train.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticCorpusTest {
  @TempDir
  Path dir;

  @Test
  void everyConditionalDistributionSumsToOne() throws Exception {
    SyntheticCorpus m = SyntheticCorpus.fit(Fixtures.corpus(dir, "text.txt", 200, 1));
    assertEquals(13, m.types()); // 12 words and </s>
    for (int v = 0; v < m.types(); v++) {
      double sum = 0;
      for (int w = 0; w < m.types(); w++) {
        sum += m.probability(v, w);
      }
      assertEquals(1.0, sum, 1e-12, "p(. | " + v + ")");
    }
    double variants = 0;
    for (double p : SyntheticCorpus.VARIANT_P) {
      variants += p;
    }
    assertEquals(1.0, variants, 1e-12);
  }

  @Test
  void sameSeedSameFilesWhateverTheThreadsAndTheFloorIsTheMeanLogLoss() throws Exception {
    SyntheticCorpus m = SyntheticCorpus.fit(Fixtures.corpus(dir, "text.txt", 200, 1));
    SyntheticCorpus.Summary a = m.generate(dir.resolve("a"), 20_000, 3, 7, 1);
    SyntheticCorpus.Summary b = m.generate(dir.resolve("b"), 20_000, 3, 7, 3);
    for (int f = 0; f < 3; f++) {
      String name = String.format("part-%05d.txt.gz", f);
      assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(name)),
          Files.readAllBytes(dir.resolve("b").resolve(name)), name);
    }
    assertEquals(a, b);
    assertTrue(a.tokens() >= 20_000 && a.tokens() < 20_300, "tokens " + a.tokens());
    // The text repeats patterns, so the floor is low, but the spellings add their own entropy.
    double spellings = 0;
    for (double p : SyntheticCorpus.VARIANT_P) {
      spellings -= p * Math.log(p);
    }
    assertTrue(a.natsPerToken() > 0.5 * spellings && a.natsPerToken() < 3, "floor " + a.natsPerToken());
    Set<String> types = new HashSet<>();
    lines(dir.resolve("a/part-00000.txt.gz")).forEach(l -> types.addAll(java.util.List.of(l.split(" "))));
    assertTrue(types.size() > 30, "spellings multiply the 12 words: " + types);
    // The floor, recomputed from the files' text alone: every token's −log p given the line so far.
    double nats = 0;
    long tokens = 0;
    for (int f = 0; f < 3; f++) {
      for (String line : lines(dir.resolve(String.format("a/part-%05d.txt.gz", f)))) {
        int[] prev = {0};
        boolean start = true;
        for (String token : (line + " " + Vocab.EOS).split(" ")) {
          nats += m.nats(prev[0], token, start, prev);
          start = false;
          tokens++;
        }
      }
    }
    assertEquals(a.tokens(), tokens);
    assertEquals(a.natsPerToken(), nats / tokens, 1e-9);
    assertTrue(types.contains("cat_2"), "" + types);
  }

  private static java.util.List<String> lines(Path gzip) throws java.io.IOException {
    try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(new java.util.zip.GZIPInputStream(
        Files.newInputStream(gzip)), java.nio.charset.StandardCharsets.UTF_8))) {
      return r.lines().toList();
    }
  }
}
