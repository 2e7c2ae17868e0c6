package io.sparkrnn.train;

import io.sparkrnn.data.Corpus;
import io.sparkrnn.data.TokenStreams;
import io.sparkrnn.data.Vocab;
import io.sparkrnn.nn.LanguageModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Training in this JVM without Spark: local files, worker threads over the streams. */
public final class LocalTraining {
  private LocalTraining() {}

  public static TrainLoop.Result run(Config config) throws IOException {
    TrainConfig cfg = TrainConfig.from(config);
    if (cfg.syncEvery() > 1) {
      throw new IllegalArgumentException("spark.syncEvery=" + cfg.syncEvery() + " (local SGD) needs Spark; with"
          + " spark.master=none every step is synchronous");
    }
    if (cfg.allReduce()) {
      throw new IllegalArgumentException("spark.aggregation=allreduce needs Spark; with spark.master=none the"
          + " threads of this JVM sum their gradients in memory");
    }
    try (RunFolder run = RunFolder.forTraining(cfg.out(), cfg.resume(), cfg.overwrite())) {
      Checkpoint ck = cfg.resume() ? run.loadCheckpoint() : null;
      switch (ModelCard.family(config)) {
        case Seq2SeqCard.FAMILY:
          return Seq2SeqTraining.local(config, cfg, run, ck);
        case Word2VecCard.FAMILY:
          return Word2VecTraining.local(config, cfg, run, ck);
        case TreeCard.FAMILY:
          return TreeTraining.local(config, cfg, run, ck);
        default:
          break;
      }
      Vocab vocab = ck != null ? new Vocab(ck.vocab()) : vocab(cfg);
      LanguageModel model = new LanguageModel(cfg.spec(vocab.size()));
      try (LocalBackend backend = backend(cfg, vocab, model)) {
        String mode = "in-process, " + backend.partitions() + " threads";
        return new TrainLoop(config, LanguageModelCard.forRun(model.spec(), vocab.words(), config, ck != null),
            backend, run, mode).run(ck);
      }
    }
  }

  /** The vocabulary of the training text. */
  public static Vocab vocab(TrainConfig cfg) throws IOException {
    return Vocab.fromCounts(Corpus.count(Path.of(cfg.train())), cfg.minCount(), cfg.maxSize())
        .requireTrainable(cfg.minCount());
  }

  /** Reads and checks the splits and starts the worker threads. */
  public static LocalBackend backend(TrainConfig cfg, Vocab vocab, LanguageModel model) throws IOException {
    int[] train = Corpus.ids(Path.of(cfg.train()), vocab);
    checkLongEnough(train.length, cfg);
    Map<String, TokenStreams> eval = new LinkedHashMap<>();
    if (!cfg.valid().isEmpty()) {
      eval.put("valid", TokenStreams.atMost(Corpus.ids(Path.of(cfg.valid()), vocab), cfg.evalBatch()));
    }
    if (!cfg.test().isEmpty()) {
      eval.put("test", TokenStreams.atMost(Corpus.ids(Path.of(cfg.test()), vocab), cfg.evalBatch()));
    }
    int threads = cfg.workerThreads();
    return new LocalBackend(new LanguageModelObjective(model, cfg.bptt(), cfg.regularization(), cfg.seed()),
        TokenStreams.of(train, cfg.batch()), eval, threads);
  }

  /** Every stream needs at least one full window: N - 1 ≥ B·T predictions. */
  public static void checkLongEnough(long tokens, TrainConfig cfg) {
    if (tokens - 1 < (long) cfg.batch() * cfg.bptt()) {
      throw new IllegalArgumentException("the training text has " + tokens + " tokens, too few for train.batch="
          + cfg.batch() + " streams of one train.bptt=" + cfg.bptt() + " window each (needs "
          + ((long) cfg.batch() * cfg.bptt() + 1) + "); lower train.batch or train.bptt");
    }
  }
}
