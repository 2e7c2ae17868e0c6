package io.sparkrnn.cli;

import io.sparkrnn.data.Corpus;
import io.sparkrnn.metrics.Bleu;
import io.sparkrnn.metrics.ChrF;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "bleu", mixinStandardHelpOptions = true,
    description = {"Corpus BLEU of a hypothesis file against a reference file, one detokenised sentence per line,",
        "as sacreBLEU computes it by default (13a tokenisation, 4-grams, exp smoothing); the score on the last line.",
        "With --chrf, chrF2 first (sacreBLEU's default chrF: character 6-grams, beta 2)."})
final class BleuCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "REFERENCE")
  Path reference;

  @Parameters(index = "1", arity = "0..1", paramLabel = "HYPOTHESIS", description = "default: standard input")
  Path hypothesis;

  @Option(names = "--chrf", description = "also print chrF2, on the line before BLEU")
  boolean chrf;

  @Override
  public Integer call() throws Exception {
    List<String> refs = Corpus.lines(reference);
    List<String> hyps;
    if (hypothesis != null) {
      hyps = Corpus.lines(hypothesis);
    } else {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
        hyps = in.lines().toList();
      }
    }
    if (chrf) {
      System.out.println(ChrF.corpus(refs, hyps));
    }
    System.out.println(Bleu.corpus(refs, hyps));
    return 0;
  }
}
