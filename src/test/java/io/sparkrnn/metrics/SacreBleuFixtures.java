package io.sparkrnn.metrics;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The texts and sacreBLEU's scores of them that jobs/bleu_fixtures.py wrote, for BleuTest and ChrFTest. */
final class SacreBleuFixtures {
  static final Path DIR = Path.of("src/test/resources/bleu");

  private SacreBleuFixtures() {}

  /** The lines of fixture {@code name}. */
  static List<String> lines(String name) throws Exception {
    return Files.readAllLines(DIR.resolve(name), StandardCharsets.UTF_8);
  }

  /** The rows of score table {@code name}, split at tabs, without its comment lines (#). */
  static List<String[]> rows(String name) throws Exception {
    return lines(name).stream().filter(r -> !r.startsWith("#")).map(r -> r.split("\t")).toList();
  }
}
