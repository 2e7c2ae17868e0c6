package io.sparkrnn.train;

import io.sparkrnn.data.Corpus;
import io.sparkrnn.data.PairBatches;
import io.sparkrnn.data.ParallelText;
import io.sparkrnn.data.Vocab;
import io.sparkrnn.infer.TranslationReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an encoder-decoder run reads before the driver loop starts: vocabularies (from the training pairs, or
 * the checkpoint's), the training pairs in shuffled length-bucketed batches and the evaluation pairs in order.
 * The loop, the backends and the checkpoints are the language model's.
 */
public final class Seq2SeqTraining {
  private static final Logger LOG = LoggerFactory.getLogger(Seq2SeqTraining.class);

  private Seq2SeqTraining() {}

  /** Reads the lines of a file (a local path or, on Spark, any Hadoop path). */
  public interface Lines {
    List<String> read(String path) throws IOException;
  }

  /** A run's model card and data. */
  public record Prepared(Seq2SeqCard card, PairBatches train, Map<String, PairBatches> eval,
      Map<String, TranslationReport.Texts> texts, Seq2SeqConfig settings) {
    public Seq2SeqObjective objective() {
      return new Seq2SeqObjective(card.spec());
    }

    /** The driver loop over {@code backend}, with BLEU and attention heatmaps added. */
    public TrainLoop loop(Config config, StepBackend backend, Sync sync, RunFolder run, String mode) {
      return new TrainLoop(config, card, backend, sync, run, mode).extras(new TranslationReport(card, texts, run,
          settings.beam(), settings.lengthPenalty()));
    }
  }

  public static Prepared prepare(TrainConfig cfg, Seq2SeqConfig s, Checkpoint ck, Lines lines) throws IOException {
    List<String> src = lines.read(s.sourceFile(cfg.train()));
    List<String> tgt = lines.read(s.targetFile(cfg.train()));
    Vocab sv;
    Vocab tv;
    if (ck != null) {
      Seq2SeqCard c = ModelCard.resumed(ck, Seq2SeqCard.class, Seq2SeqCard.FAMILY);
      sv = new Vocab(c.sourceVocab());
      tv = new Vocab(c.targetVocab());
    } else {
      sv = Vocab.fromCounts(ParallelText.count(src), cfg.minCount(), cfg.maxSize()).requireTrainable(cfg.minCount());
      tv = Vocab.fromCounts(ParallelText.count(tgt), cfg.minCount(), cfg.maxSize()).requireTrainable(cfg.minCount());
    }
    ParallelText.Read train = ParallelText.batches("the training pairs " + s.sourceFile(cfg.train()) + ", "
        + s.targetFile(cfg.train()), src, tgt, sv, tv, cfg.batch(), s.maxLength(), true, cfg.seed());
    LOG.info(String.format("Training pairs: %,d in %,d batches of up to %d (%,d left out: empty, or longer than"
        + " seq2seq.maxLength=%d); vocabularies %,d %s and %,d %s words; unknown words %s %s / %s",
        train.batches().pairs(), train.batches().batches(), cfg.batch(), train.dropped(), s.maxLength(), sv.size(),
        s.source(), tv.size(), s.target(), train.unknownShares(), s.source(), s.target()));
    Map<String, PairBatches> eval = new LinkedHashMap<>();
    Map<String, TranslationReport.Texts> texts = new LinkedHashMap<>();
    String[][] splits = {{"valid", cfg.valid()}, {"test", cfg.test()}};
    for (String[] split : splits) {
      if (!split[1].isEmpty()) {
        TranslationReport.Texts t = new TranslationReport.Texts(lines.read(s.sourceFile(split[1])),
            lines.read(s.targetFile(split[1])));
        ParallelText.Read read = ParallelText.batches("the " + split[0] + " pairs", t.sources(), t.references(), sv,
            tv, cfg.evalBatch(), 0, false, 0);
        LOG.info(String.format("%s pairs: %,d; unknown words %s %s / %s", split[0], read.batches().pairs(),
            read.unknownShares(), s.source(), s.target()));
        eval.put(split[0], read.batches());
        texts.put(split[0], t);
      }
    }
    Seq2SeqCard card = new Seq2SeqCard(s.spec(cfg, sv.size(), tv.size()), sv.words(), tv.words());
    return new Prepared(card, train.batches(), eval, texts, s);
  }

  /** In this JVM, worker threads over the lanes. */
  static TrainLoop.Result local(Config config, TrainConfig cfg, RunFolder run, Checkpoint ck) throws IOException {
    Prepared p = prepare(cfg, Seq2SeqConfig.from(config), ck, path -> Corpus.lines(Path.of(path)));
    int threads = cfg.workerThreads();
    try (LocalBackend backend = new LocalBackend(p.objective(), p.train(), p.eval(), threads)) {
      String mode = "in-process, " + backend.partitions() + " threads";
      return p.loop(config, backend, new DriverSync(backend), run, mode).run(ck);
    }
  }
}
