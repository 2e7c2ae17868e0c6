package io.sparkrnn.cli;

import io.sparkrnn.infer.WordVectors;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "analogy", mixinStandardHelpOptions = true,
    description = {"\"A is to B as C is to ?\" by 3CosAdd over the model's word vectors: spark-rnn analogy --run R"
        + " man king woman; or the accuracy on a test set of such questions (--questions FILE, the format of the"
        + " classic questions-words.txt)."})
final class AnalogyCommand implements Callable<Integer> {
  @Mixin
  VectorsSource source;

  @Option(names = {"-k", "--top"}, defaultValue = "5", description = "answers to list (default ${DEFAULT-VALUE})")
  int k;

  @Option(names = "--questions", description = "a file of questions \"a b c d\" in sections \": name\"")
  Path questions;

  @Option(names = "--most-frequent", defaultValue = "30000", description = "with --questions: answer among (and"
      + " ask only about) the most frequent words, as gensim does (0: all; default ${DEFAULT-VALUE})")
  int mostFrequent;

  @Parameters(paramLabel = "WORD", arity = "0..3")
  List<String> words = List.of();

  @Override
  public Integer call() throws Exception {
    WordVectors vectors = source.load();
    if (questions != null) {
      Map<String, WordVectors.Score> scores = vectors.analogies(io.sparkrnn.data.Corpus.lines(questions),
          mostFrequent);
      scores.forEach((section, s) -> System.out.printf("%-28s %6.2f%%  (%d of %d, %d skipped)%n", section,
          100 * s.accuracy(), s.correct(), s.asked(), s.skipped()));
      return 0;
    }
    if (words.size() != 3) {
      throw new IllegalArgumentException("analogy takes three words A B C (A is to B as C is to ?), or --questions");
    }
    StringBuilder b = new StringBuilder(String.join(" ", words)).append("\t→");
    for (WordVectors.Neighbour n : vectors.analogy(words.get(0), words.get(1), words.get(2), k)) {
      b.append(String.format(" %s %.2f", n.word(), n.similarity()));
    }
    System.out.println(b);
    return 0;
  }
}
