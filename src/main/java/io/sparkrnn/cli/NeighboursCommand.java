package io.sparkrnn.cli;

import io.sparkrnn.infer.WordVectors;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "neighbours", aliases = "neighbors", mixinStandardHelpOptions = true,
    description = "The words whose vectors (a word2vec model's, or a language model's embedding) are closest"
        + " (cosine similarity) to each given word.")
final class NeighboursCommand implements Callable<Integer> {
  @Mixin
  VectorsSource source;

  @Option(names = {"-k", "--top"}, defaultValue = "10", description = "how many (default ${DEFAULT-VALUE})")
  int k;

  @Parameters(paramLabel = "WORD", arity = "1..*")
  List<String> words;

  @Override
  public Integer call() throws Exception {
    WordVectors vectors = source.load();
    for (String w : words) {
      StringBuilder b = new StringBuilder(w).append("\t→");
      for (WordVectors.Neighbour n : vectors.neighbours(w, k)) {
        b.append(String.format(" %s %.2f", n.word(), n.similarity()));
      }
      System.out.println(b);
    }
    return 0;
  }
}
