package io.sparkrnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped English→German corpus (data/messages-de, built by jobs/gettext_corpus.py). */
class MessagesCorpusTest {
  private static final Path DIR = Path.of("data/messages-de");
  private static final Path CATALOGUES = Path.of("/usr/share/locale/de/LC_MESSAGES");
  private static final List<String> SPLITS = List.of("train", "valid", "test");

  @TempDir
  Path tmp;

  private static List<String> lines(Path p) throws Exception {
    return Files.readAllLines(p, StandardCharsets.UTF_8);
  }

  @Test
  void pairsAreAlignedNormalisedAndNoEnglishMessageIsInTwoSplits() throws Exception {
    Map<String, String> splitOf = new HashMap<>();
    for (String s : SPLITS) {
      List<String> en = lines(DIR.resolve(s + ".en"));
      List<String> de = lines(DIR.resolve(s + ".de"));
      assertEquals(en.size(), de.size(), s + ": one German line per English line");
      assertTrue(en.size() > 1000, s + " has " + en.size() + " pairs");
      for (int i = 0; i < en.size(); i++) {
        for (String line : List.of(en.get(i), de.get(i))) {
          assertTrue(!line.isEmpty() && line.equals(line.strip()) && !line.contains("  ") && !line.contains("\t"),
              s + " line " + (i + 1) + " is not normalised: '" + line + "'");
        }
        String before = splitOf.put(en.get(i), s);
        assertTrue(before == null, "'" + en.get(i) + "' is in " + before + " and " + s);
      }
    }
  }

  @Test
  void everyProjectIsInOneSplit() throws Exception {
    Map<String, Set<String>> splits = new HashMap<>();
    List<String> rows = lines(DIR.resolve("catalogues.tsv"));
    for (String row : rows.subList(1, rows.size())) {
      String[] f = row.split("\t");
      splits.computeIfAbsent(f[1], k -> new HashSet<>()).add(f[2]);
    }
    splits.forEach((project, in) -> assertEquals(1, in.size(), project + " is in " + in));
    assertEquals(Set.of("train", "valid", "test"),
        splits.values().stream().flatMap(Set::stream).collect(Collectors.toSet()));
  }

  /**
   * Where this machine has the catalogues the corpus was built from (others may be installed too: a browser's
   * packages bring their own), the script builds the same bytes from exactly those.
   */
  @Test
  void theScriptRebuildsTheSameFilesFromTheSameCatalogues() throws Exception {
    Set<String> shipped = lines(DIR.resolve("catalogues.tsv")).stream().skip(1).map(r -> r.split("\t")[0])
        .collect(Collectors.toSet());
    assumeTrue(Files.isDirectory(CATALOGUES), "no German catalogues on this machine");
    Set<String> here;
    try (Stream<Path> files = Files.list(CATALOGUES)) {
      here = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".mo"))
          .map(n -> n.substring(0, n.length() - 3)).collect(Collectors.toSet());
    }
    assumeTrue(here.containsAll(shipped), "this machine lacks some of the catalogues the corpus was built from");
    Path only = tmp.resolve("locale/de/LC_MESSAGES");
    Files.createDirectories(only);
    for (String c : shipped) {
      Files.copy(CATALOGUES.resolve(c + ".mo"), only.resolve(c + ".mo"));
    }
    Process p = new ProcessBuilder("python3", "jobs/gettext_corpus.py", "--locale-dir",
        tmp.resolve("locale").toString(), "--out", tmp.resolve("out").toString())
        .redirectErrorStream(true).redirectOutput(new File(tmp.toFile(), "log")).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, Files.readString(tmp.resolve("log")));
    for (String s : SPLITS) {
      for (String lang : List.of(".en", ".de")) {
        assertArrayEquals(Files.readAllBytes(DIR.resolve(s + lang)),
            Files.readAllBytes(tmp.resolve("out").resolve(s + lang)), s + lang);
      }
    }
  }
}
