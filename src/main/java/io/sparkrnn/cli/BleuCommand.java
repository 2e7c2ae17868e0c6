package io.sparkrnn.cli;

import io.sparkrnn.metrics.Bleu;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "bleu", mixinStandardHelpOptions = true,
    description = {"Corpus BLEU of a hypothesis file against a reference file, one detokenised sentence per line,",
        "as sacreBLEU computes it by default (13a tokenisation, 4-grams, exp smoothing); the score on the last line."})
final class BleuCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "REFERENCE")
  Path reference;

  @Parameters(index = "1", arity = "0..1", paramLabel = "HYPOTHESIS", description = "default: standard input")
  Path hypothesis;

  @Override
  public Integer call() throws Exception {
    List<String> refs = read(reference);
    List<String> hyps;
    if (hypothesis != null) {
      hyps = read(hypothesis);
    } else {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
        hyps = in.lines().toList();
      }
    }
    System.out.println(Bleu.corpus(refs, hyps));
    return 0;
  }

  private static List<String> read(Path p) throws Exception {
    if (!Files.isRegularFile(p)) {
      throw new IllegalArgumentException(p + " is not a file");
    }
    try {
      return Files.readAllLines(p, StandardCharsets.UTF_8);
    } catch (java.nio.charset.MalformedInputException e) {
      throw new IllegalArgumentException(p + " is not UTF-8 text");
    }
  }
}
