package io.sparkrnn.train;

import io.sparkrnn.math.Activation;
import io.sparkrnn.math.Init;
import io.sparkrnn.nn.ModelSpec;
import io.sparkrnn.nn.Regularization;
import io.sparkrnn.optim.LrSchedule;
import io.sparkrnn.optim.Optimizer;
import io.sparkrnn.optim.OptimizerSpec;
import java.io.Serializable;

/** The validated, typed settings of a training run (see {@link Config#KEYS} for each key's meaning). */
public record TrainConfig(
    String train, String valid, String test, int minCount, int maxSize,
    String cell, int embed, int hidden, int layers, boolean peephole, Activation activation,
    boolean adaptiveSoftmax, java.util.List<Integer> cutoffs, int tailDiv, boolean tie,
    Init init, double initScale,
    int bptt, int batch, int epochs, int maxSteps, double minutes, int threads,
    String optimizer, double lr, double momentum, double beta1, double beta2, double eps,
    LrSchedule schedule, double clip,
    int evalBatch, int logEvery, int checkpointEvery, long seed,
    String out, boolean resume, boolean overwrite,
    String sparkMaster, int partitions, int treeDepth, boolean bf16Gradients, boolean allReduce, int syncEvery,
    int syncsPerJob,
    Regularization regularization, boolean average, int averagePatience, int evalEvery, int lrPatience,
    boolean tensorBoard)
    implements Serializable {

  public static TrainConfig from(Config c) {
    TrainConfig t = new TrainConfig(
        c.get("data.train"), c.get("data.valid"), c.get("data.test"),
        c.getInt("vocab.minCount", 0), c.getInt("vocab.maxSize", 0),
        c.get("model.cell"), c.getInt("model.embed", 1), c.getInt("model.hidden", 1), c.getInt("model.layers", 1),
        c.getBool("model.peephole"), Activation.parse(c.get("model.activation")),
        softmax(c.get("model.softmax")), cutoffs(c.get("model.cutoffs")), c.getInt("model.tailDiv", 1),
        c.getBool("model.tie"),
        Init.parse(c.get("init")), c.getDouble("init.scale", 0, 1e3),
        c.getInt("train.bptt", 1), c.getInt("train.batch", 1), c.getInt("train.epochs", 1),
        c.getInt("train.maxSteps", 0), c.getDouble("train.minutes", 0, 1e9), c.getInt("train.threads", 0),
        c.get("optim"), c.getDouble("optim.lr", 0, 1e3), c.getDouble("optim.momentum", 0, 0.999999),
        c.getDouble("optim.beta1", 0, 0.999999), c.getDouble("optim.beta2", 0, 0.999999999),
        c.getDouble("optim.eps", 0, 1),
        new LrSchedule(c.get("lr.schedule"), c.getDouble("optim.lr", 0, 1e3), c.getDouble("lr.decay", 0, 1),
            c.getInt("lr.decayStart", 0), c.getInt("lr.warmup", 0)),
        c.getDouble("clip", 0, 1e12),
        c.getInt("eval.batch", 1), c.getInt("log.every", 1), c.getInt("checkpoint.every", 0),
        Long.parseLong(c.get("seed")),
        c.get("out"), c.getBool("resume"), c.getBool("overwrite"),
        c.get("spark.master"), c.getInt("spark.partitions", 0), c.getInt("spark.treeDepth", 1),
        precision(c.get("spark.gradientPrecision")), allReduce(c),
        c.getInt("spark.syncEvery", 1), c.getInt("spark.syncsPerJob", 1), regularization(c), average(c.get("optim.average")),
        c.getInt("optim.averagePatience", 0), c.getInt("eval.every", 0), c.getInt("lr.patience", 0),
        c.getBool("track.tensorboard"));
    if (t.train.isEmpty()) {
      throw new IllegalArgumentException("data.train must name the training text");
    }
    boolean trees = c.get("model.family").equals(TreeCard.FAMILY);
    if (!(trees ? io.sparkrnn.nn.TreeSpec.CELLS : java.util.List.of("lstm", "gru", "rnn")).contains(t.cell)) {
      throw new IllegalArgumentException("model.cell must be " + (trees ? "rnn, treelstm or childsum" : "lstm, gru or"
          + " rnn") + " for model.family=" + c.get("model.family") + ", not '" + t.cell + "'");
    }
    Optimizer.create(t.optimizer, 0, t.momentum, t.beta1, t.beta2, t.eps); // validates the name
    if (t.sparkMaster.isEmpty()) {
      throw new IllegalArgumentException("spark.master must be a Spark master URL such as local[*], or none");
    }
    boolean followsValidation = t.average || t.schedule.kind().equals("plateau");
    if (followsValidation && t.valid.isEmpty()) {
      throw new IllegalArgumentException("optim.average=nt and lr.schedule=plateau follow the validation perplexity;"
          + " set data.valid");
    }
    if (t.average && (t.allReduce || t.syncEvery > 1)) {
      throw new IllegalArgumentException("optim.average=nt averages on the driver after every step; it needs"
          + " spark.aggregation=driver and spark.syncEvery=1");
    }
    if (t.out.isEmpty()) {
      throw new IllegalArgumentException("out must name the run folder");
    }
    return t;
  }

  /** Worker threads of an in-process run: train.threads, or one per core when it is 0. */
  public int workerThreads() {
    return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
  }

  private static Regularization regularization(Config c) {
    double all = rate(c, "dropout");
    return new Regularization(rate(c, "dropout.input", all), rate(c, "dropout.hidden", all),
        rate(c, "dropout.output", all), rate(c, "dropout.embedding"), rate(c, "dropout.weight"),
        c.getBool("dropout.locked"), c.getDouble("reg.ar", 0, 1e6), c.getDouble("reg.tar", 0, 1e6));
  }

  /** A dropout rate whose empty value means {@code dropout}'s. */
  private static double rate(Config c, String key, double fallback) {
    return c.get(key).isBlank() ? fallback : rate(c, key);
  }

  /** A dropout rate, below 1: the units kept are scaled by 1 / (1 − rate). */
  private static double rate(Config c, String key) {
    double r = c.getDouble(key, 0, 1);
    if (r == 1) {
      throw new IllegalArgumentException(key + " must be a rate in [0, 1), not " + c.get(key)
          + " (a rate of 1 would drop everything)");
    }
    return r;
  }

  private static boolean average(String a) {
    if (!a.equals("none") && !a.equals("nt")) {
      throw new IllegalArgumentException("optim.average must be none or nt, not '" + a + "'");
    }
    return a.equals("nt");
  }

  /**
   * spark.aggregation as the run uses it. auto picks the all-reduce where gradients would cross a network to the
   * driver: a cluster master (spark-submit's, a system property, wins over spark.master, as in Spark's own
   * configuration), without dynamic allocation (Spark runs no barrier stage with it), for a run that has the
   * all-reduce (word2vec syncs its own way; NT-ASGD averages on the driver after every step). That is the guess
   * before a Spark context exists (its settings); a training run decides with the context and its task slots
   * (SparkTraining.resolveAggregation), and writes the answer into its config.
   */
  private static boolean allReduce(Config c) {
    String a = c.get("spark.aggregation");
    if (!a.equals("driver") && !a.equals("allreduce") && !a.equals("auto")) {
      throw new IllegalArgumentException("spark.aggregation must be driver, allreduce or auto, not '" + a + "'");
    }
    if (!a.equals("auto")) {
      return a.equals("allreduce");
    }
    String master = System.getProperty("spark.master", c.get("spark.master"));
    return autoTakesTheDriverMode(c, master.startsWith("local") || master.equals("none"),
        Boolean.parseBoolean(System.getProperty("spark.dynamicAllocation.enabled", "false"))) == null;
  }

  /**
   * Why spark.aggregation=auto takes the driver mode for {@code c} on a master that is local mode or not, with
   * dynamic allocation on or not; null when it takes the all-reduce (as far as these tell: a training run also
   * wants a task slot per partition).
   */
  public static String autoTakesTheDriverMode(Config c, boolean local, boolean dynamicAllocation) {
    return local ? "local mode"
        : dynamicAllocation ? "dynamic allocation is on"
        : c.get("model.family").equals("word2vec") ? "word2vec synchronises on the driver"
        : c.get("optim.average").equals("nt") ? "optim.average=nt averages on the driver" : null;
  }

  private static boolean softmax(String s) {
    if (!s.equals("full") && !s.equals("adaptive")) {
      throw new IllegalArgumentException("model.softmax must be full or adaptive, not '" + s + "'");
    }
    return s.equals("adaptive");
  }

  private static java.util.List<Integer> cutoffs(String text) {
    java.util.List<Integer> out = new java.util.ArrayList<>();
    for (String part : text.split(",")) {
      if (!part.isBlank()) {
        try {
          out.add(Integer.parseInt(part.trim()));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("model.cutoffs must be comma-separated word ids such as 2000,10000,"
              + " not '" + text + "'");
        }
      }
    }
    return out;
  }

  /** model.cutoffs as the config file writes them. */
  public static String cutoffsText(java.util.List<Integer> cutoffs) {
    return String.join(",", cutoffs.stream().map(String::valueOf).toList());
  }

  private static boolean precision(String p) {
    if (!p.equals("fp32") && !p.equals("bf16")) {
      throw new IllegalArgumentException("spark.gradientPrecision must be fp32 or bf16, not '" + p + "'");
    }
    return p.equals("bf16");
  }

  /** True when training runs in this JVM without Spark ({@code spark.master=none}). */
  public boolean inProcess() {
    return sparkMaster.equals("none");
  }

  public ModelSpec spec(int vocab) {
    if (!adaptiveSoftmax) {
      return new ModelSpec(cell, vocab, embed, hidden, layers, peephole, activation).tied(tie);
    }
    java.util.List<Integer> cuts = cutoffs.isEmpty() ? ModelSpec.defaultCutoffs(vocab, hidden, tailDiv) : cutoffs;
    if (cuts.isEmpty()) {
      throw new IllegalArgumentException("model.softmax=adaptive needs a vocabulary of at least 2 words beyond a"
          + " head and model.hidden / model.tailDiv of at least 4; this one has " + vocab + " words");
    }
    return new ModelSpec(cell, vocab, embed, hidden, layers, peephole, activation, cuts, tailDiv, tie);
  }

  public OptimizerSpec optimizerSpec() {
    return new OptimizerSpec(optimizer, momentum, beta1, beta2, eps);
  }

  public Optimizer newOptimizer(int size) {
    return optimizerSpec().create(size);
  }
}
