package io.sparkrnn.cli;

import io.sparkrnn.infer.WordVectors;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where the word vectors of neighbours, analogy and similarity come from: a run (a word2vec model's vectors, or a
 * language model's embedding table), or a file in the word2vec text format, so that vectors trained by other
 * tools are scored by the same code.
 */
final class VectorsSource {
  @Option(names = {"-r", "--run"}, description = "a run folder (checkpoint/model.ckpt) or a folder written by export")
  String run;

  @Option(names = "--vectors", description = "a file in the word2vec text format (as gensim and the C tool write"
      + " it; words most frequent first)")
  Path vectors;

  WordVectors load() throws IOException {
    if ((run == null) == (vectors == null)) {
      throw new IllegalArgumentException("give the vectors as --run RUN or --vectors FILE (one of them)");
    }
    return vectors != null ? WordVectors.readText(vectors) : new WordVectors(RunOption.load(run));
  }
}
