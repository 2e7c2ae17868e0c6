package io.sparkrnn.spark;

import io.sparkrnn.data.Corpus;
import io.sparkrnn.data.Vocab;
import io.sparkrnn.nn.LanguageModel;
import io.sparkrnn.train.Checkpoint;
import io.sparkrnn.train.Evaluator;
import io.sparkrnn.train.LanguageModelObjective;
import io.sparkrnn.train.StepBackend.Evaluation;
import io.sparkrnn.train.TrainConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Perplexity of text files under a trained model: on Spark (any Hadoop path, distributed like the
 * training job's evaluation), or in this JVM with {@code spark.master=none}.
 */
public final class TextEvaluation {
  private TextEvaluation() {}

  /** One file's result: predicted tokens, tokens outside the vocabulary, perplexity. */
  public record Row(String file, long tokens, long unknown, double perplexity) {}

  public static List<Row> run(TrainConfig cfg, Checkpoint ck, List<String> files) throws IOException {
    LanguageModel model = new LanguageModel(ck.spec());
    Vocab vocab = new Vocab(ck.vocab());
    List<Row> rows = new ArrayList<>();
    if (cfg.inProcess()) {
      int threads = cfg.workerThreads();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        for (String f : files) {
          int[] ids = Corpus.ids(Path.of(f), vocab);
          long unknown = java.util.Arrays.stream(ids).filter(i -> i == Vocab.UNK_ID).count();
          Evaluation e = Evaluator.evaluate(model, ck.params(), ids, cfg.evalBatch(), cfg.bptt(), threads, pool);
          rows.add(new Row(f, e.tokens(), unknown, e.perplexity()));
        }
      } finally {
        pool.shutdownNow();
      }
      return rows;
    }
    try (JavaSparkContext sc = new JavaSparkContext(SparkTraining.sparkConf(cfg).setAppName("spark-rnn evaluate"))) {
      int partitions = cfg.partitions() > 0 ? cfg.partitions() : sc.defaultParallelism();
      Broadcast<Vocab> bc = sc.broadcast(vocab);
      for (String f : files) {
        SparkCorpus.Split split = SparkCorpus.streams(SparkText.at(sc, f), bc, cfg.evalBatch(), partitions);
        Evaluation e = SparkBackend.evaluate(sc, new LanguageModelObjective(model, cfg.bptt()), split, ck.params());
        split.parts().unpersist(false);
        rows.add(new Row(f, e.tokens(), split.unknown(), e.perplexity()));
      }
    }
    return rows;
  }
}
