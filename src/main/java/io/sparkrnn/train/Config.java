package io.sparkrnn.train;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Every setting of the job, as text: defaults here, then a {@code .properties} file, then
 * {@code key=value} overrides. An unknown key or a value of the wrong type is an error that names the
 * key and what it accepts. {@link TrainConfig} turns this into a typed, validated record.
 */
public final class Config {
  /** A known key, its default and what it means (the README table is made from this list). */
  public record Key(String name, String value, String doc) {}

  public static final List<Key> KEYS = List.of(
      new Key("data.train", "data/brown/train.txt", "training text: one sentence per line, whitespace-separated tokens"),
      new Key("data.valid", "data/brown/valid.txt", "validation text (empty: none)"),
      new Key("data.test", "data/brown/test.txt", "test text (empty: none)"),
      new Key("vocab.minCount", "3", "keep words seen more than this many times in the training text"),
      new Key("vocab.maxSize", "0", "at most this many words including </s> and <unk> (0: no limit)"),
      new Key("model.family", "lm", "lm: a language model over data.train; seq2seq: an encoder-decoder with attention"
          + " over sentence pairs, data.train (and valid, test) naming the files without the language suffix;"
          + " word2vec: word vectors (model.embed of them) by negative sampling; tree: a classifier over bracketed"
          + " trees, one per line (ListOps or Penn/SST), data.train etc. naming the files"),
      new Key("model.cell", "lstm", "lstm, gru or rnn (seq2seq: lstm or gru; tree: rnn, the recursive network"
          + " over binarised trees, treelstm, the binary Tree-LSTM, or childsum, the Child-Sum Tree-LSTM)"),
      new Key("model.embed", "256", "embedding size E"),
      new Key("model.hidden", "256", "hidden size H"),
      new Key("model.layers", "1", "stacked recurrent layers"),
      new Key("model.peephole", "false", "LSTM peephole connections"),
      new Key("model.activation", "tanh", "simple RNN activation: tanh, sigmoid or relu"),
      new Key("model.softmax", "full", "output layer: full, or adaptive (a head of the frequent words and tail"
          + " clusters of rarer ones behind smaller projections; exact probabilities, far fewer FLOPs)"),
      new Key("model.cutoffs", "", "adaptive softmax: the word ids (most frequent first) where the head and each"
          + " tail cluster end, such as 4000,10000 (empty: min(4000, V/4), then 10000 and 5 times further out each"
          + " time, while below V)"),
      new Key("model.tailDiv", "4", "adaptive softmax: tail cluster i projects to hidden / tailDiv^(i+1) features"),
      new Key("model.embedFrom", "", "language model: start the embedding table from these word vectors (a"
          + " word2vec run folder, or a file in the word2vec text format) where they have the word; model.embed must be"
          + " their size (empty: random)"),
      new Key("model.tie", "false", "tie the output layer's weight to the embedding table (full softmax); when"
          + " model.embed differs from model.hidden, a projection proj.weight (embed x hidden) comes first"),
      new Key("seq2seq.source", "en", "seq2seq: suffix of the source files (data.train + \".\" + this)"),
      new Key("seq2seq.target", "de", "seq2seq: suffix of the target files"),
      new Key("seq2seq.encoderLayers", "1", "seq2seq: stacked encoder layers"),
      new Key("seq2seq.decoderLayers", "1", "seq2seq: stacked decoder layers"),
      new Key("seq2seq.bidirectional", "true", "seq2seq: bidirectional encoder (outputs 2 x model.hidden)"),
      new Key("seq2seq.attention", "general", "seq2seq: attention score: dot, general (Luong) or additive (Bahdanau)"),
      new Key("seq2seq.attnSize", "0", "seq2seq: hidden size of the additive score (0: model.hidden)"),
      new Key("seq2seq.maxLength", "50", "seq2seq: training pairs with a side longer than this many tokens are left"
          + " out"),
      new Key("seq2seq.beam", "5", "seq2seq: beam width of translate and of the test BLEU (1: greedy)"),
      new Key("seq2seq.lengthPenalty", "1.0", "seq2seq: beam hypotheses rank by log p / length^this (0: raw log p)"),
      new Key("word2vec.method", "skipgram", "word2vec: skipgram (context words from the centre word) or cbow (the"
          + " centre word from the mean of its context)"),
      new Key("word2vec.window", "5", "word2vec: at most this many words each side of the centre (each centre"
          + " draws a window of 1 to this many)"),
      new Key("word2vec.negative", "5", "word2vec: noise words per update, drawn from the unigram counts^0.75"),
      new Key("word2vec.sample", "1e-3", "word2vec: subsampling threshold t: an occurrence of a word of share f is"
          + " kept with probability (sqrt(f/t) + 1) t/f (0: keep all)"),
      new Key("word2vec.lr", "0.025", "word2vec: starting learning rate of the SGD, falling linearly to 1e-4 of"
          + " it over the run (the C tool's -alpha)"),
      new Key("word2vec.lanes", "32", "word2vec: the text is cut into this many contiguous lanes, the examples"
          + " that threads and partitions share out (at most this many of them)"),
      new Key("word2vec.syncWords", "2000", "word2vec: words each lane trains between two synchronisations of the"
          + " rows the shards moved"),
      new Key("word2vec.merge", "aligned", "word2vec: how the shards' changes to the rows they moved are merged:"
          + " aligned (changes that agree added up to two shards' worth, averaged beyond; unrelated ones added) or"
          + " mean (the rows averaged, weighted by how often each shard moved them)"),
      new Key("tree.shape", "tree", "tree: the trees as read (ListOps or Penn/SST brackets); chain: each line's"
          + " tokens in order as a chain, one child per node, which model.cell=childsum reads as an LSTM does (the"
          + " sequential baseline on the same tokens)"),
      new Key("tree.labels", "root", "tree: the loss counts the root's label (root) or every labelled node's (all,"
          + " as for SST)"),
      new Key("tree.classes", "0", "tree: classes of the classifier (0: one more than the largest training label)"),
      new Key("dropout", "0", "dropout rate on the embedding output, between stacked layers and before the output"
          + " layer, where dropout.input, dropout.hidden or dropout.output does not set its own"),
      new Key("dropout.input", "", "dropout rate on the embedding output (empty: dropout)"),
      new Key("dropout.hidden", "", "dropout rate between stacked layers (empty: dropout)"),
      new Key("dropout.output", "", "dropout rate before the output layer (empty: dropout)"),
      new Key("dropout.locked", "false", "locked (variational) dropout: one mask per stream for a whole window,"
          + " not a new one at every step"),
      new Key("dropout.embedding", "0", "embedding dropout: the rate at which whole words of the table are dropped"
          + " in a step"),
      new Key("dropout.weight", "0", "DropConnect rate on the hidden-to-hidden weights, a new mask every step"),
      new Key("reg.ar", "0", "activation regularisation α: α · mean h² of the dropped last-layer output"),
      new Key("reg.tar", "0", "temporal activation regularisation β: β · mean (h_t - h_t-1)² of the last layer's"
          + " output"),
      new Key("init", "uniform", "weight init: uniform, normal, xavier or he"),
      new Key("init.scale", "0.1", "half-width of uniform / std of normal init"),
      new Key("train.bptt", "35", "truncated BPTT window T"),
      new Key("train.batch", "32", "parallel streams B in all (split over partitions / threads)"),
      new Key("train.epochs", "2", "passes over the training text"),
      new Key("train.maxSteps", "0", "stop after this many steps (0: run all epochs)"),
      new Key("train.minutes", "0", "stop after the first step that ends past this many minutes of training in this"
          + " process, validations included, then evaluate and checkpoint as at a run's end (0: no limit)"),
      new Key("train.threads", "0", "in-process worker threads (0: available cores)"),
      new Key("optim", "adam", "sgd, momentum, adagrad, rmsprop or adam"),
      new Key("optim.lr", "0.002", "learning rate"),
      new Key("optim.momentum", "0.9", "momentum for optim=momentum"),
      new Key("optim.beta1", "0.9", "Adam β1"),
      new Key("optim.beta2", "0.999", "Adam β2 (and RMSprop's decay ρ)"),
      new Key("optim.eps", "1e-8", "ε of Adam, AdaGrad, RMSprop"),
      new Key("lr.schedule", "constant", "constant, step, cosine, or plateau (times lr.decay when validation"
          + " perplexity has not improved on its best for more than lr.patience evaluations in a row)"),
      new Key("lr.decay", "0.5", "factor per epoch for lr.schedule=step, per plateau for lr.schedule=plateau"),
      new Key("lr.patience", "0", "lr.schedule=plateau: evaluations without a new best that are tolerated"),
      new Key("lr.decayStart", "1", "epochs before lr.schedule=step starts decaying"),
      new Key("lr.warmup", "0", "linear warm-up steps"),
      new Key("optim.average", "none", "none, or nt: NT-ASGD (Merity et al. 2018): once a validation perplexity is"
          + " worse than the best of those before the last optim.averagePatience, the model is the mean of the"
          + " parameters after every step from then on; that mean is evaluated, checkpointed and exported"),
      new Key("optim.averagePatience", "5", "optim.average=nt: the non-monotone interval, in evaluations"),
      new Key("clip", "5", "clip the gradient's global L2 norm to this (0: off)"),
      new Key("eval.batch", "10", "streams for perplexity evaluation"),
      new Key("eval.every", "0", "steps between validation evaluations (0: at the end of every epoch)"),
      new Key("log.every", "50", "steps between progress lines"),
      new Key("checkpoint.every", "500", "steps between checkpoints (0: only at the end)"),
      new Key("track.tensorboard", "false", "also write the metrics (as scalars), the configuration and the results (as"
          + " text) to a TensorBoard event file in the run folder's tensorboard/ (tensorboard --logdir RUN/tensorboard)"),
      new Key("seed", "1", "seed of initialisation and sampling"),
      new Key("out", "runs/brown-lstm", "run folder"),
      new Key("resume", "false", "continue from the run folder's checkpoint"),
      new Key("overwrite", "false", "replace a finished run in the run folder"),
      new Key("spark.master", "local[*]", "Spark master when not given by spark-submit; 'none': in-process, no Spark"),
      new Key("spark.partitions", "0", "data partitions P on Spark (0: default parallelism)"),
      new Key("spark.treeDepth", "2", "depth of the gradient tree aggregation, used when one level cannot gather"
          + " all partitions (above 5 at depth 2); else gradients go to the driver as blocks"),
      new Key("spark.gradientPrecision", "fp32", "gradients sent to the driver as fp32, or bf16 (half the bytes)"),
      new Key("spark.aggregation", "auto", "driver: gradients summed on the driver, which updates; allreduce:"
          + " partition p sums and updates slice p of the parameters, the driver sees scalars only; auto: allreduce"
          + " on a cluster master (not local[...]) without dynamic allocation, else driver (word2vec and"
          + " optim.average=nt: driver)"),
      new Key("spark.syncEvery", "1", "local SGD: each partition takes this many optimizer steps on its own streams,"
          + " then parameters and optimizer moments are averaged, weighted by tokens, on the driver or by the slice"
          + " owners as spark.aggregation says (1: every step synchronous)"),
      new Key("spark.syncsPerJob", "10", "with spark.aggregation=allreduce: synchronisations each Spark job runs"
          + " before the driver hears from the tasks (scalars only; log lines and checkpoints come between jobs)"));

  private final Map<String, String> values;

  private Config(Map<String, String> values) {
    this.values = values;
  }

  public static Config defaults() {
    Map<String, String> v = new LinkedHashMap<>();
    for (Key k : KEYS) {
      v.put(k.name(), k.value());
    }
    return new Config(v);
  }

  /** Defaults, then the file (if not null), then {@code key=value} overrides, in that order. */
  public static Config load(Path file, List<String> overrides) throws IOException {
    Config c = defaults();
    if (file != null) {
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        c = c.with(read(r), "config file " + file);
      } catch (NoSuchFileException e) {
        throw new IllegalArgumentException("the config file " + file + " does not exist");
      }
    }
    Map<String, String> o = new LinkedHashMap<>();
    for (String s : overrides) {
      int eq = s.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("'" + s + "' is not a key=value setting");
      }
      o.put(s.substring(0, eq).trim(), s.substring(eq + 1).trim());
    }
    return c.with(o, "command line");
  }

  /** Parses the text of a config.properties (as written by {@link #toText}). */
  public static Config parse(String text) {
    try {
      return defaults().with(read(new StringReader(text)), "stored config");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A copy with these values replacing the current ones; unknown keys are an error. */
  public Config with(Map<String, String> changes, String source) {
    Map<String, String> v = new LinkedHashMap<>(values);
    for (Map.Entry<String, String> e : changes.entrySet()) {
      if (!v.containsKey(e.getKey())) {
        throw new IllegalArgumentException("unknown config key '" + e.getKey() + "' in " + source
            + "; known keys: " + String.join(", ", v.keySet()));
      }
      v.put(e.getKey(), e.getValue());
    }
    return new Config(v);
  }

  public Config with(String key, String value) {
    return with(Map.of(key, value), "program");
  }

  private static Map<String, String> read(Reader r) throws IOException {
    Properties p = new Properties();
    p.load(r);
    Map<String, String> m = new LinkedHashMap<>();
    for (String k : p.stringPropertyNames()) {
      m.put(k, p.getProperty(k).trim());
    }
    return m;
  }

  public String get(String key) {
    String v = values.get(key);
    if (v == null) {
      throw new IllegalArgumentException("unknown config key '" + key + "'");
    }
    return v;
  }

  public int getInt(String key, int min) {
    long v;
    try {
      v = Long.parseLong(get(key));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be an integer, not '" + get(key) + "'");
    }
    if (v < min || v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(key + " must be an integer ≥ " + min + ", not " + get(key));
    }
    return (int) v;
  }

  public double getDouble(String key, double min, double max) {
    double v;
    try {
      v = Double.parseDouble(get(key));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number, not '" + get(key) + "'");
    }
    if (!(v >= min && v <= max)) {
      throw new IllegalArgumentException(key + " must be a number in [" + min + ", " + max + "], not " + get(key));
    }
    return v;
  }

  public boolean getBool(String key) {
    String v = get(key).toLowerCase(java.util.Locale.ROOT);
    if (!v.equals("true") && !v.equals("false")) {
      throw new IllegalArgumentException(key + " must be true or false, not '" + get(key) + "'");
    }
    return v.equals("true");
  }

  /** All settings as properties text, in the order of {@link #KEYS}. */
  public String toText() {
    StringWriter w = new StringWriter();
    w.write("# spark-rnn run configuration\n");
    for (Map.Entry<String, String> e : values.entrySet()) {
      w.write(e.getKey() + "=" + e.getValue().replace("\\", "\\\\") + "\n");
    }
    return w.toString();
  }

  /** The keys whose value differs from the default (what a run folder's reader most wants to see). */
  public List<String> changed() {
    List<String> out = new ArrayList<>();
    for (Key k : KEYS) {
      if (!k.value().equals(values.get(k.name()))) {
        out.add(k.name() + "=" + values.get(k.name()));
      }
    }
    return out;
  }
}
