package io.sparkrnn.train;

import io.sparkrnn.data.Corpus;
import io.sparkrnn.data.Tree;
import io.sparkrnn.data.TreeBatches;
import io.sparkrnn.data.TreeIds;
import io.sparkrnn.data.TreeReader;
import io.sparkrnn.data.Vocab;
import io.sparkrnn.infer.TreeEvaluation;
import io.sparkrnn.nn.TreeSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a tree-classifier run reads before the driver loop starts: the trees of each split (one per line), the
 * vocabulary (from the training trees, or the checkpoint's), the training trees in shuffled batches of similar
 * height and the evaluation trees in order. The loop, the backends and the checkpoints are the language model's;
 * accuracy is added to each evaluation.
 */
public final class TreeTraining {
  private static final Logger LOG = LoggerFactory.getLogger(TreeTraining.class);

  private TreeTraining() {}

  /** A run's model card and data. */
  public record Prepared(TreeCard card, TreeBatches train, Map<String, TreeBatches> eval) {
    public TreeObjective objective() {
      return new TreeObjective(card.spec());
    }

    /** The driver loop over {@code backend}, with accuracy added to the evaluations. */
    public TrainLoop loop(Config config, StepBackend backend, Sync sync, RunFolder run, String mode) {
      return new TrainLoop(config, card, backend, sync, run, mode).extras(new TreeEvaluation.Extras(card.spec(),
          eval));
    }
  }

  public static Prepared prepare(TrainConfig cfg, TreeConfig tc, Checkpoint ck, Seq2SeqTraining.Lines lines)
      throws IOException {
    return prepare(cfg, tc, ck, lines, true);
  }

  /** The same; {@code shuffle} false keeps the training batches in order of height (a benchmark's). */
  static Prepared prepare(TrainConfig cfg, TreeConfig tc, Checkpoint ck, Seq2SeqTraining.Lines lines,
      boolean shuffle) throws IOException {
    List<Tree> train = TreeReader.parse(lines.read(cfg.train()), cfg.train());
    TreeCard resumed = ck == null ? null : ModelCard.resumed(ck, TreeCard.class, TreeCard.FAMILY);
    Vocab vocab = resumed != null ? new Vocab(resumed.vocab())
        : Vocab.fromCounts(count(train), cfg.minCount(), cfg.maxSize()).requireTrainable(cfg.minCount());
    TreeSpec spec = resumed != null ? resumed.spec() : new TreeSpec(cfg.cell(), vocab.size(), cfg.embed(),
        cfg.hidden(), tc.classes() > 0 ? tc.classes() : maxLabel(train, tc.rootOnly(), cfg.train()) + 1,
        cfg.activation());
    TreeCard card = new TreeCard(spec, vocab.words(), resumed != null ? resumed.chain() : tc.chain());
    TreeBatches batches = TreeBatches.of(ids(train, card, tc.rootOnly(), "the training trees " + cfg.train()),
        cfg.batch(), shuffle, cfg.seed());
    LOG.info(String.format("Training trees: %,d in %,d batches of up to %d, %,d labelled nodes; vocabulary %,d"
        + " words; %d classes", batches.trees(), batches.batches(), cfg.batch(), batches.tokens(), vocab.size(),
        spec.classes()));
    Map<String, TreeBatches> eval = new LinkedHashMap<>();
    String[][] splits = {{"valid", cfg.valid()}, {"test", cfg.test()}};
    for (String[] split : splits) {
      if (!split[1].isEmpty()) {
        List<Tree> trees = TreeReader.parse(lines.read(split[1]), split[1]);
        eval.put(split[0], TreeBatches.of(ids(trees, card, tc.rootOnly(), "the " + split[0] + " trees " + split[1]),
            cfg.evalBatch(), false, 0));
      }
    }
    return new Prepared(card, batches, eval);
  }

  /** Words of every node, for the vocabulary. */
  private static Map<String, Long> count(List<Tree> trees) {
    Map<String, Long> counts = new HashMap<>();
    for (Tree t : trees) {
      for (String w : t.tokens()) {
        counts.merge(w, 1L, Long::sum);
      }
    }
    return counts;
  }

  /** The largest label at the roots, or at any node when every labelled node counts. */
  private static int maxLabel(List<Tree> trees, boolean rootOnly, String source) {
    int max = -1;
    for (Tree t : trees) {
      max = Math.max(max, rootOnly ? t.label() : maxLabel(t));
    }
    if (max < 0) {
      throw new IllegalArgumentException("the training trees " + source + " have no class labels at their roots");
    }
    return max;
  }

  private static int maxLabel(Tree t) {
    int max = t.label();
    for (Tree c : t.children()) {
      max = Math.max(max, maxLabel(c));
    }
    return max;
  }

  /** The trees as the card's model reads them: chains, binarised or as they are; checked against its classes. */
  static List<TreeIds> ids(List<Tree> trees, TreeCard card, boolean rootOnly, String what) {
    if (trees.isEmpty()) {
      throw new IllegalArgumentException(what + " hold no tree");
    }
    java.util.function.Function<Tree, TreeIds> encoder = card.encoder(rootOnly);
    List<TreeIds> out = new ArrayList<>(trees.size());
    for (Tree t : trees) {
      TreeIds ids = encoder.apply(t);
      for (int label : ids.labels()) {
        if (label >= card.spec().classes()) {
          throw new IllegalArgumentException(what + " hold the label " + label + ", outside the model's "
              + card.spec().classes() + " classes (tree.classes)");
        }
      }
      if (ids.labelled() == 0) {
        throw new IllegalArgumentException(what + " hold a tree without a label: " + t);
      }
      out.add(ids);
    }
    return out;
  }

  /** In this JVM, worker threads over the lanes. */
  static TrainLoop.Result local(Config config, TrainConfig cfg, RunFolder run, Checkpoint ck) throws IOException {
    Prepared p = prepare(cfg, TreeConfig.from(config), ck, path -> Corpus.lines(Path.of(path)));
    int threads = cfg.workerThreads();
    try (LocalBackend backend = new LocalBackend(p.objective(), p.train(), p.eval(), threads)) {
      String mode = "in-process, " + backend.partitions() + " threads";
      return p.loop(config, backend, new DriverSync(backend), run, mode).run(ck);
    }
  }
}
