package io.sparkrnn.train;

import io.sparkrnn.data.Corpus;
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
    Path trainPath = Path.of(cfg.train());
    try (RunFolder run = RunFolder.forTraining(cfg.out(), cfg.resume(), cfg.overwrite())) {
      Checkpoint ck = cfg.resume() ? run.loadCheckpoint() : null;
      Vocab vocab = ck != null ? new Vocab(ck.vocab())
          : Vocab.fromCounts(Corpus.count(trainPath), cfg.minCount(), cfg.maxSize()).requireTrainable(cfg.minCount());
      LanguageModel model = new LanguageModel(cfg.spec(vocab.size()));
      int[] train = Corpus.ids(trainPath, vocab);
      checkLongEnough(train.length, cfg);
      Map<String, int[]> eval = new LinkedHashMap<>();
      if (!cfg.valid().isEmpty()) {
        eval.put("valid", Corpus.ids(Path.of(cfg.valid()), vocab));
      }
      if (!cfg.test().isEmpty()) {
        eval.put("test", Corpus.ids(Path.of(cfg.test()), vocab));
      }
      int threads = cfg.threads() > 0 ? cfg.threads() : Runtime.getRuntime().availableProcessors();
      try (LocalBackend backend = new LocalBackend(model, train, eval, cfg.batch(), cfg.bptt(), cfg.evalBatch(),
          threads)) {
        return new TrainLoop(config, model, vocab, backend, run, "in-process, " + threads + " threads").run(ck);
      }
    }
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
