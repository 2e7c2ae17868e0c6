package io.sparkrnn.train;

import io.sparkrnn.data.Corpus;
import io.sparkrnn.data.ParallelText;
import io.sparkrnn.data.Vocab;
import io.sparkrnn.word2vec.Sampling;
import io.sparkrnn.word2vec.Word2VecText;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a word2vec run reads before the driver loop starts: the vocabulary (from the training text, or the
 * checkpoint's), the training text in lanes with its word counts (the noise table and subsampling), and the
 * evaluation texts, whose loss is the negative-sampling loss of every word with no update. The loop, the
 * backends and the checkpoints are the language model's; the synchronisation is {@link SparseRowSync}.
 */
public final class Word2VecTraining {
  private static final Logger LOG = LoggerFactory.getLogger(Word2VecTraining.class);

  private Word2VecTraining() {}

  /** A run's model card, objective and data. */
  public record Prepared(Word2VecCard card, Word2VecObjective objective, Word2VecText train,
      Map<String, Word2VecText> eval) {
    /** The driver loop over {@code backend}: plain SGD in the shards, moved rows merged on the driver. */
    public TrainLoop loop(Config config, StepBackend backend, RunFolder run, String mode) {
      SparseRowSync sync = new SparseRowSync(backend, card.spec().rows(), card.spec().dim(), objective.merge());
      return new TrainLoop(config.with("optim", "sgd"), card, backend, sync, run, mode);
    }
  }

  public static Prepared prepare(Config config, TrainConfig cfg, Checkpoint ck, Seq2SeqTraining.Lines lines)
      throws IOException {
    Word2VecConfig w = Word2VecConfig.from(config);
    if (cfg.allReduce() || cfg.syncEvery() > 1) {
      throw new IllegalArgumentException("word2vec synchronises by merging the moved rows every"
          + " word2vec.syncWords words; spark.aggregation=allreduce and spark.syncEvery do not apply to it");
    }
    List<String> trainLines = lines.read(cfg.train());
    Vocab vocab;
    if (ck != null) {
      vocab = new Vocab(ModelCard.resumed(ck, Word2VecCard.class, Word2VecCard.FAMILY).vocab());
    } else {
      vocab = Vocab.fromCounts(ParallelText.count(trainLines), cfg.minCount(), cfg.maxSize())
          .requireTrainable(cfg.minCount());
    }
    Word2VecText train = Word2VecText.of("the training text " + cfg.train(), ParallelText.ids(trainLines, vocab),
        w.lanes(), w.syncWords());
    Sampling sampling = new Sampling(train.counts(vocab.size()), w.sample());
    // The rate falls over the epochs asked for; train.maxSteps and train.minutes end a run early without changing
    // it, so a run stopped and resumed equals one that was not.
    long steps = (long) cfg.epochs() * train.batches();
    LOG.info(String.format("Training text: %,d words of a vocabulary of %,d in %d lanes, %,d steps of %,d words"
        + " per lane in a pass", sampling.total(), vocab.size(), w.lanes(), train.batches(), w.syncWords()));
    Map<String, Word2VecText> eval = new LinkedHashMap<>();
    String[][] splits = {{"valid", cfg.valid()}, {"test", cfg.test()}};
    for (String[] split : splits) {
      if (!split[1].isEmpty()) {
        eval.put(split[0], Word2VecText.of("the " + split[0] + " text " + split[1],
            ParallelText.ids(lines.read(split[1]), vocab), cfg.evalBatch(), w.syncWords()));
      }
    }
    Word2VecCard card = new Word2VecCard(w.spec(cfg, vocab.size()), vocab.words());
    return new Prepared(card, new Word2VecObjective(card.spec(), sampling, w.lr(), steps, cfg.seed(),
        w.merge()), train, eval);
  }

  /** In this JVM, worker threads over the lanes. */
  static TrainLoop.Result local(Config config, TrainConfig cfg, RunFolder run, Checkpoint ck) throws IOException {
    Prepared p = prepare(config, cfg, ck, path -> Corpus.lines(Path.of(path)));
    int threads = cfg.workerThreads();
    try (LocalBackend backend = new LocalBackend(p.objective(), p.train(), p.eval(), threads)) {
      return p.loop(config, backend, run, "in-process, " + backend.partitions() + " threads").run(ck);
    }
  }
}
