package io.sparkrnn.cli;

import io.sparkrnn.data.Corpus;
import io.sparkrnn.infer.WordSimilarity;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "similarity", mixinStandardHelpOptions = true,
    description = {"Spearman's rank correlation between the cosine of word vectors and a reference similarity"
        + " score over word pairs (lines word1<TAB>word2<TAB>score, such as data/word2vec-eval/similarity.tsv)."})
final class SimilarityCommand implements Callable<Integer> {
  @Mixin
  VectorsSource source;

  @Option(names = "--pairs", required = true, description = "the word pairs with their scores")
  Path pairs;

  @Override
  public Integer call() throws Exception {
    WordSimilarity.Score s = WordSimilarity.evaluate(source.load(), Corpus.lines(pairs));
    System.out.printf("spearman %.4f  (%d pairs, %d skipped)%n", s.spearman(), s.pairs(), s.skipped());
    return 0;
  }
}
