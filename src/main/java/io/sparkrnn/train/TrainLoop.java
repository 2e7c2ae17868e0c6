package io.sparkrnn.train;

import io.sparkrnn.math.Blas;
import io.sparkrnn.math.Rng;
import io.sparkrnn.optim.IterateAverage;
import io.sparkrnn.optim.Optimizer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver loop, the same for in-process and Spark training and for every way of synchronising: each step
 * the {@link Sync} turns the window's gradient sums into new parameters (divide by the token count, the exact
 * mean over all predicted tokens; clip by global norm; optimizer step). Logs progress, evaluates at the end of
 * each epoch (or every eval.every steps), lets the validation perplexities lower the learning rate and start
 * averaging ({@link ValidationRules}), checkpoints, and writes the run folder's summary and report at the end.
 * With averaging on, the model evaluated, checkpointed and returned is the {@link IterateAverage}.
 */
public final class TrainLoop {
  private static final Logger LOG = LoggerFactory.getLogger(TrainLoop.class);
  /** Consecutive non-finite steps after which the run stops (keeping its last good checkpoint). */
  static final int MAX_BAD_STEPS = 5;
  /** Restarts from the same checkpoint after which the run stops. */
  static final int MAX_ROLLBACKS = 3;

  /** What a finished run measured. */
  public record Result(float[] params, long steps, double trainLoss, double validPpl, double testPpl,
      double tokensPerSecond, long trainTokens, double seconds) {}

  private final Config config;
  private final TrainConfig cfg;
  private final ModelCard model;
  private final StepBackend backend;
  private final Sync sync;
  private final RunFolder run;
  private final String mode;
  private RunExtras extras = RunExtras.NONE;
  private final IterateAverage average = new IterateAverage();
  private ValidationRules rules;

  /** Gradients gathered on the driver, which updates ({@link DriverSync}). */
  public TrainLoop(Config config, ModelCard model, StepBackend backend, RunFolder run, String mode) {
    this(config, model, backend, new DriverSync(backend), run, mode);
  }

  public TrainLoop(Config config, ModelCard model, StepBackend backend, Sync sync, RunFolder run, String mode) {
    this.config = config;
    this.cfg = TrainConfig.from(config);
    this.model = model;
    this.backend = backend;
    this.sync = sync;
    this.run = run;
    this.mode = mode;
    this.rules = new ValidationRules(cfg);
  }

  /** Adds a model family's own evaluations and report sections (see {@link RunExtras}). */
  public TrainLoop extras(RunExtras e) {
    this.extras = e;
    return this;
  }

  /** Trains from fresh weights, or from {@code resumeFrom} when it is not null. */
  public Result run(Checkpoint resumeFrom) throws IOException {
    Rng rng = new Rng(cfg.seed());
    float[] params = model.initParams(cfg.init(), cfg.initScale(), rng);
    Optimizer opt = cfg.newOptimizer(params.length);
    List<Map<String, Object>> metrics = new ArrayList<>();
    long step = 0;
    StepBackend.CarriedState carried = null;
    if (resumeFrom != null) {
      params = resumeFrom.trainingParams();
      step = restore(resumeFrom, opt, rng, metrics);
      carried = resumeFrom.carried();
    } else {
      run.clearForNewRun();
      for (var v : model.vocabularies().entrySet()) {
        run.writeText(v.getKey(), String.join("\n", v.getValue()) + "\n");
      }
    }
    run.writeText("config.properties", config.toText());
    for (Map<String, Object> row : metrics) {
      run.appendMetric(row);
    }
    if (cfg.tensorBoard()) {
      run.trackTensorBoard(config.toText(), step);
    }

    int windows = backend.batches();
    long total = (long) cfg.epochs() * windows;
    if (cfg.maxSteps() > 0) {
      total = Math.min(total, cfg.maxSteps());
    }
    LOG.info("Training {} ({} parameters) {}: {} examples, {} batches per epoch, {} steps; BLAS {}",
        model.describe(), params.length, mode, backend.examples(), windows, total, Blas.backend());

    start(params, opt, carried);
    Progress progress = new Progress();
    int badInRow = 0;
    int rollbacks = 0;
    long began = System.nanoTime();
    boolean outOfTime = false;
    while (step < total && !outOfTime) {
      int epoch = (int) (step / windows);
      int window = (int) (step % windows);
      // Windows this call trains: one, or a local-SGD round of k, aligned on multiples of k from the epoch's
      // start (so a run resumed from a round's end goes on with the same rounds), cut at the epoch's end and the run's.
      int k = sync.windowsPerStep();
      int n = (int) Math.min(k - window % k, Math.min(windows - window, total - step));
      backend.describe(String.format("step %d%s/%d (epoch %d, window %d/%d)", step + 1, n > 1 ? "-" + (step + n) : "",
          total, epoch + 1, window + 1, windows));
      long t0 = System.nanoTime();
      float[] lrs = new float[n];
      for (int i = 0; i < n; i++) {
        lrs[i] = (float) (cfg.schedule().at(step + i, total, epoch) * rules.factor());
      }
      float lr = lrs[n - 1];
      try {
        Sync.StepStats st = sync.step(step, lrs, cfg.clip());
        if (st.stateResets() > 0) {
          LOG.warn("Step {}: {} partition(s) lost their carried state (task moved to another executor) and started"
              + " window {} from zero state", step + 1, st.stateResets(), window);
        }
        double norm = st.norm();
        if (st.finite()) {
          badInRow = 0;
        } else if (++badInRow < MAX_BAD_STEPS) {
          LOG.warn("Step {} skipped: loss {} gradient norm {} ({} in a row)", step + 1, st.loss(), norm, badInRow);
        } else {
          throw new IllegalStateException(badInRow + " steps in a row had a non-finite loss or gradient; stopping"
              + " (the last good checkpoint is kept in " + run.uri() + "). Try a lower optim.lr or clip.");
        }
        step += n;
        if (average.active() && st.finite()) {
          sync.gather(params, opt);
          average.add(params, step);
        }
        progress.add(st, n, (System.nanoTime() - t0) / 1e9);

        boolean endOfEpoch = window + n == windows;
        outOfTime = cfg.minutes() > 0 && (System.nanoTime() - began) / 60e9 >= cfg.minutes();
        boolean last = step == total || outOfTime;
        boolean validate = !last && !cfg.valid().isEmpty()
            && (cfg.evalEvery() > 0 ? passed(step, n, cfg.evalEvery()) : endOfEpoch);
        if (passed(step, n, cfg.logEvery()) || last || endOfEpoch || validate) {
          Map<String, Object> row = progress.row(step, epoch + (window + n) / (double) windows, lr, norm);
          LOG.info(Progress.line(row, cfg.epochs(), total));
          if (validate) {
            sync.gather(params, opt);
            float[] model = average.model(params);
            double ppl = backend.evaluate(model, "valid").perplexity();
            row.put("valid_ppl", ppl);
            row.putAll(extras.evaluate(model, "valid", false));
            LOG.info(String.format("epoch %d step %d valid perplexity %.2f", epoch + 1, step, ppl));
            decide(ppl, params, step);
            progress.restartClock();
          }
          run.appendMetric(row);
          metrics.add(row);
        }
        if (last || (cfg.checkpointEvery() > 0 && passed(step, n, cfg.checkpointEvery()))) {
          sync.gather(params, opt);
          run.saveCheckpoint(checkpoint(params, opt, step, windows, rng));
          rollbacks = 0;
        }
      } catch (Sync.LostStep e) {
        if (++rollbacks > MAX_ROLLBACKS) {
          throw new IllegalStateException("training state was lost " + rollbacks + " times since the last checkpoint ("
              + e.getMessage() + "); stopping, the last checkpoint is kept in " + run.uri());
        }
        Checkpoint c = rollBack(params, opt, rng, metrics, step, e);
        step = c != null ? c.step() : 0;
        start(params, opt, c != null ? c.carried() : null);
      }
    }
    if (outOfTime) {
      LOG.info("Stopping at step {} of {}: train.minutes={} is used up", step, total, cfg.minutes());
    }
    return finish(params, step, progress, metrics);
  }

  /** What a validation perplexity decides: a lower learning rate on a plateau, the start of averaging. */
  private void decide(double ppl, float[] params, long step) {
    double before = rules.factor();
    if (rules.observe(ppl) && cfg.average() && !average.active()) {
      average.start(params, step);
      LOG.info("Validation perplexity {} is worse than the best before the last {} evaluations: from step {} on, the"
          + " model is the mean of the parameters after every step (NT-ASGD)", String.format("%.2f", ppl),
          cfg.averagePatience(), step);
    }
    if (rules.factor() != before) {
      LOG.info("Validation perplexity has not improved for {} evaluation(s): learning rate × {} (now × {})",
          cfg.lrPatience() + 1, cfg.schedule().decay(), String.format("%.4g", rules.factor()));
    }
  }

  /** Whether the steps (step - n, step] include a multiple of {@code every}. */
  private static boolean passed(long step, int n, int every) {
    return step / every != (step - n) / every;
  }

  /**
   * After a step lost state on an executor: the parameters, optimizer, RNG and carried state of the last
   * checkpoint (or of the start, before the first one), and the metrics up to it. Steps since then run again,
   * on the same data from the same state, so the run ends as if nothing had happened. Returns the checkpoint
   * it went back to, or null for the start.
   */
  private Checkpoint rollBack(float[] params, Optimizer opt, Rng rng, List<Map<String, Object>> metrics, long step,
      Sync.LostStep e) throws IOException {
    metrics.clear();
    long from = 0;
    Checkpoint c = run.hasCheckpoint() ? run.loadCheckpoint() : null;
    if (c != null) {
      System.arraycopy(c.trainingParams(), 0, params, 0, params.length);
      from = restore(c, opt, rng, metrics);
    } else {
      average.restore(null, -1);
      rules = new ValidationRules(cfg);
      Rng fresh = new Rng(cfg.seed());
      System.arraycopy(model.initParams(cfg.init(), cfg.initScale(), fresh), 0, params, 0, params.length);
      for (float[] a : opt.state()) {
        java.util.Arrays.fill(a, 0f);
      }
      opt.setSteps(0);
      rng.setState(fresh.state());
    }
    run.rewriteMetrics(metrics, from);
    LOG.warn("Step {} lost training state ({}); continuing from step {}{}", step + 1, e.getMessage(), from,
        c != null ? ", the last checkpoint" : ", the start");
    return c;
  }

  /** Hands the state to the Sync; {@code carried} null: zero state, as at the start. */
  private void start(float[] params, Optimizer opt, StepBackend.CarriedState carried) {
    if (!sync.start(params, opt, carried)) {
      LOG.warn("The checkpoint's carried state was saved with another split of the streams; window {} starts"
          + " from zero state (a truncated-BPTT reset).", carried.next());
    }
  }

  /** Loads the checkpoint's state into the optimizer and RNG and its metrics; returns the step to continue from. */
  private long restore(Checkpoint c, Optimizer opt, Rng rng, List<Map<String, Object>> metrics) throws IOException {
    checkCompatible(c);
    float[][] st = opt.state();
    for (int i = 0; i < st.length; i++) {
      System.arraycopy(c.optimizerState()[i], 0, st[i], 0, st[i].length);
    }
    opt.setSteps(c.optimizerSteps());
    rng.setState(c.rngState());
    average.restore(c.averageFrom() >= 0 ? c.params().clone() : null, c.averageFrom());
    rules = new ValidationRules(cfg);
    for (Map<String, Object> row : run.readMetrics()) {
      if (row.get("step") instanceof Number n && n.longValue() <= c.step()) {
        metrics.add(row);
        if (row.get("valid_ppl") instanceof Number ppl && !row.containsKey("test_ppl")) {
          rules.observe(ppl.doubleValue()); // replayed: the decisions are those the run took
        }
      }
    }
    LOG.info("Resuming {} at step {}", run.uri(), c.step());
    return c.step();
  }

  /** Final evaluation, summary.json and report.html. */
  private Result finish(float[] iterate, long step, Progress progress, List<Map<String, Object>> metrics)
      throws IOException {
    float[] params = average.model(iterate);
    double validPpl = Double.NaN;
    double testPpl = Double.NaN;
    if (!cfg.valid().isEmpty()) {
      validPpl = backend.evaluate(params, "valid").perplexity();
      LOG.info(String.format("valid perplexity %.2f", validPpl));
    }
    if (!cfg.test().isEmpty()) {
      testPpl = backend.evaluate(params, "test").perplexity();
      LOG.info(String.format("test perplexity %.2f", testPpl));
    }
    Map<String, Object> scores = new LinkedHashMap<>();
    for (String split : new String[] {"valid", "test"}) {
      scores.putAll(extras.evaluate(params, split, true));
    }
    if (!cfg.valid().isEmpty() || !cfg.test().isEmpty()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("step", step);
      row.put("valid_ppl", validPpl);
      row.put("test_ppl", testPpl);
      row.putAll(scores);
      run.appendMetric(row);
      metrics.add(row);
    }
    double tokensPerSecond = progress.trainSeconds > 0 ? progress.trainTokens / progress.trainSeconds : Double.NaN;
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("mode", mode);
    summary.put("steps", step);
    summary.put("train_tokens", progress.trainTokens);
    summary.put("seconds", progress.trainSeconds);
    summary.put("tokens_per_s", tokensPerSecond);
    summary.put("train_loss", progress.lastLoss);
    summary.put("valid_ppl", validPpl);
    summary.put("test_ppl", testPpl);
    summary.putAll(scores);
    summary.put("params", params.length);
    summary.putAll(model.summary());
    summary.put("streams", backend.examples());
    summary.put("partitions", backend.partitions());
    summary.put("blas", Blas.backend());
    summary.put("config_changes", String.join(" ", config.changed()));
    run.writeJson("summary.json", summary);
    run.trackText("results", step, Report.markdown(summary) + "\n\nReport: " + run.uri() + "/report.html. Model: "
        + run.uri() + "/checkpoint (the commands open the run folder; `export` writes the model for PyTorch)");
    run.writeText("report.html", Report.html("spark-rnn run " + run.uri(), summary, metrics, config,
        extras.report(params)));
    LOG.info("Run folder: {}", run.uri());
    return new Result(params, step, progress.lastLoss, validPpl, testPpl, tokensPerSecond, progress.trainTokens,
        progress.trainSeconds);
  }

  private Checkpoint checkpoint(float[] params, Optimizer opt, long step, int windows, Rng rng) {
    return new Checkpoint(config.toText(), model, average.model(params), cfg.optimizer(), opt.steps(),
        opt.state(), step, (int) (step / windows), (int) (step % windows), rng.state(), sync.carriedState(),
        average.from(), average.active() ? params : new float[0]);
  }

  private void checkCompatible(Checkpoint c) {
    if (!c.model().family().equals(model.family())) {
      throw new IllegalArgumentException("the checkpoint in " + run.uri() + " holds a model.family="
          + c.model().family() + " model, but the configuration asks for model.family=" + model.family());
    }
    if (!c.model().shape().equals(model.shape())) {
      throw new IllegalArgumentException("the checkpoint in " + run.uri() + " holds a model of shape "
          + c.model().shape().strip().replace('\n', ' ') + ", but the configuration asks for "
          + model.shape().strip().replace('\n', ' '));
    }
    if (!c.model().vocabularies().equals(model.vocabularies())) {
      throw new IllegalArgumentException("the checkpoint in " + run.uri() + " was trained with another vocabulary");
    }
    if (!c.optimizer().equals(cfg.optimizer())) {
      throw new IllegalArgumentException("the checkpoint in " + run.uri() + " was trained with optim="
          + c.optimizer() + ", not " + cfg.optimizer());
    }
  }
}
