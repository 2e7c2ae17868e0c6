package io.sparkrnn.train;

import io.sparkrnn.data.Vocab;
import io.sparkrnn.math.Blas;
import io.sparkrnn.math.Rng;
import io.sparkrnn.nn.LanguageModel;
import io.sparkrnn.optim.GradClip;
import io.sparkrnn.optim.Optimizer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver loop, the same for in-process and Spark training. Each step reads top to bottom:
 * gradient sums for the window from the backend, divide by the token count (the exact mean over
 * all predicted tokens), clip by global norm, optimizer step. Logs progress, evaluates at the end of
 * each epoch, checkpoints, and writes the run folder's summary and report at the end.
 */
public final class TrainLoop {
  private static final Logger LOG = LoggerFactory.getLogger(TrainLoop.class);
  /** Consecutive non-finite steps after which the run stops (keeping its last good checkpoint). */
  static final int MAX_BAD_STEPS = 5;

  /** What a finished run measured. */
  public record Result(float[] params, long steps, double trainLoss, double validPpl, double testPpl,
      double tokensPerSecond, long trainTokens, double seconds) {}

  private final Config config;
  private final TrainConfig cfg;
  private final LanguageModel model;
  private final Vocab vocab;
  private final StepBackend backend;
  private final RunFolder run;
  private final String mode;

  public TrainLoop(Config config, LanguageModel model, Vocab vocab, StepBackend backend, RunFolder run, String mode) {
    this.config = config;
    this.cfg = TrainConfig.from(config);
    this.model = model;
    this.vocab = vocab;
    this.backend = backend;
    this.run = run;
    this.mode = mode;
  }

  /** Trains from fresh weights, or from {@code resumeFrom} when it is not null. */
  public Result run(Checkpoint resumeFrom) throws IOException {
    Rng rng = new Rng(cfg.seed());
    float[] params = model.initParams(cfg.init(), cfg.initScale(), rng);
    Optimizer opt = cfg.newOptimizer(params.length);
    long step = 0;
    List<Map<String, Object>> metrics = new ArrayList<>();
    if (resumeFrom != null) {
      Checkpoint c = resumeFrom;
      checkCompatible(c);
      params = c.params();
      float[][] st = opt.state();
      for (int i = 0; i < st.length; i++) {
        System.arraycopy(c.optimizerState()[i], 0, st[i], 0, st[i].length);
      }
      opt.setSteps(c.optimizerSteps());
      step = c.step();
      rng.setState(c.rngState());
      if (!backend.restoreState(c.carried())) {
        LOG.warn("The checkpoint's carried state was saved with another split of the streams; window {} starts"
            + " from zero state (a truncated-BPTT reset).", c.nextWindow());
      }
      for (Map<String, Object> row : run.readMetrics()) {
        if (row.get("step") instanceof Number n && n.longValue() <= step) {
          metrics.add(row);
        }
      }
      LOG.info("Resuming {} at step {}", run.uri(), step);
    } else {
      run.writeText("vocab.txt", String.join("\n", vocab.words()) + "\n");
    }
    run.writeText("config.properties", config.toText());
    for (Map<String, Object> row : metrics) {
      run.appendMetric(row);
    }

    int windows = backend.windows();
    long total = (long) cfg.epochs() * windows;
    if (cfg.maxSteps() > 0) {
      total = Math.min(total, cfg.maxSteps());
    }
    LOG.info("Training {} ({} parameters, vocab {}) {}: {} streams, {} windows of {} per epoch, {} steps; BLAS {}",
        model.spec().cell(), params.length, vocab.size(), mode, backend.streams(), windows, cfg.bptt(), total,
        Blas.backend());

    double logLoss = 0;
    long logTokens = 0;
    double lastLoss = Double.NaN;
    long trainTokens = 0;
    double trainSeconds = 0;
    double[] split = new double[4]; // compute, broadcast, aggregate, update (ms) since the last log line
    int badInRow = 0;
    int steps = 0; // since the last log line
    double validPpl = Double.NaN;
    long logStart = System.nanoTime();
    while (step < total) {
      int epoch = (int) (step / windows);
      int window = (int) (step % windows);
      backend.describe(String.format("step %d/%d (epoch %d, window %d/%d)", step + 1, total, epoch + 1, window + 1,
          windows));
      long t0 = System.nanoTime();
      GradAccumulator acc = backend.gradients(params, window);
      if (acc.stateResets > 0) {
        LOG.warn("Step {}: {} partition(s) lost their carried state (task moved to another executor) and started"
            + " window {} from zero state", step + 1, acc.stateResets, window);
      }
      long t1 = System.nanoTime();
      float[] grad = acc.grad;
      float inv = acc.tokens > 0 ? 1f / acc.tokens : 0f;
      for (int i = 0; i < grad.length; i++) {
        grad[i] *= inv;
      }
      double norm = GradClip.clip(grad, cfg.clip());
      float lr = cfg.schedule().at(step, total, epoch);
      if (!Double.isFinite(acc.loss) || !Double.isFinite(norm)) {
        badInRow++;
        LOG.warn("Step {} skipped: loss {} gradient norm {} ({} in a row)", step + 1, acc.loss, norm, badInRow);
        if (badInRow >= MAX_BAD_STEPS) {
          throw new IllegalStateException(badInRow + " steps in a row had a non-finite loss or gradient; stopping"
              + " (the last good checkpoint is kept in " + run.uri() + "). Try a lower optim.lr or clip.");
        }
      } else {
        badInRow = 0;
        opt.step(params, grad, lr);
      }
      step++;
      long t2 = System.nanoTime();
      StepBackend.StepTiming tm = backend.lastTiming();
      split[0] += tm.compute();
      split[1] += tm.broadcast();
      split[2] += tm.aggregate();
      split[3] += (t2 - t1) / 1e6;
      trainSeconds += (t2 - t0) / 1e9;
      trainTokens += acc.tokens;
      logLoss += acc.loss;
      logTokens += acc.tokens;
      steps++;

      boolean endOfEpoch = window == windows - 1;
      boolean last = step == total;
      if (step % cfg.logEvery() == 0 || last || endOfEpoch) {
        double seconds = (System.nanoTime() - logStart) / 1e9;
        lastLoss = logLoss / Math.max(1, logTokens);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("step", step);
        row.put("epoch", epoch + (window + 1) / (double) windows);
        row.put("train_loss", lastLoss);
        row.put("train_ppl", Math.exp(lastLoss));
        row.put("tokens_per_s", logTokens / seconds);
        row.put("lr", lr);
        row.put("grad_norm", norm);
        row.put("ms_compute", split[0] / steps);
        row.put("ms_broadcast", split[1] / steps);
        row.put("ms_aggregate", split[2] / steps);
        row.put("ms_update", split[3] / steps);
        LOG.info(String.format("epoch %d/%d step %d/%d | loss %.3f ppl %.1f | %,.0f tok/s | lr %.2e | gnorm %.2f"
                + " | ms/step compute %.0f bcast %.0f aggr %.0f update %.0f",
            epoch + 1, cfg.epochs(), step, total, lastLoss, Math.exp(lastLoss), logTokens / seconds, lr, norm,
            split[0] / steps, split[1] / steps, split[2] / steps, split[3] / steps));
        if (endOfEpoch && !cfg.valid().isEmpty() && !last) {
          validPpl = backend.evaluate(params, "valid").perplexity();
          row.put("valid_ppl", validPpl);
          LOG.info(String.format("epoch %d valid perplexity %.2f", epoch + 1, validPpl));
        }
        run.appendMetric(row);
        metrics.add(row);
        logLoss = 0;
        logTokens = 0;
        steps = 0;
        java.util.Arrays.fill(split, 0);
        logStart = System.nanoTime();
      }
      if (last || (cfg.checkpointEvery() > 0 && step % cfg.checkpointEvery() == 0)) {
        run.saveCheckpoint(checkpoint(params, opt, step, windows, rng));
      }
    }

    double testPpl = Double.NaN;
    if (!cfg.valid().isEmpty()) {
      validPpl = backend.evaluate(params, "valid").perplexity();
      LOG.info(String.format("valid perplexity %.2f", validPpl));
    }
    if (!cfg.test().isEmpty()) {
      testPpl = backend.evaluate(params, "test").perplexity();
      LOG.info(String.format("test perplexity %.2f", testPpl));
    }
    double tokensPerSecond = trainSeconds > 0 ? trainTokens / trainSeconds : Double.NaN;
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("mode", mode);
    summary.put("steps", step);
    summary.put("train_tokens", trainTokens);
    summary.put("seconds", trainSeconds);
    summary.put("tokens_per_s", tokensPerSecond);
    summary.put("train_loss", lastLoss);
    summary.put("valid_ppl", validPpl);
    summary.put("test_ppl", testPpl);
    summary.put("params", params.length);
    summary.put("vocab", vocab.size());
    summary.put("streams", backend.streams());
    summary.put("partitions", backend.partitions());
    summary.put("blas", Blas.backend());
    summary.put("config_changes", String.join(" ", config.changed()));
    run.writeJson("summary.json", summary);
    run.writeText("report.html", Report.html("spark-rnn run " + run.uri(), summary, metrics));
    LOG.info("Run folder: {}", run.uri());
    return new Result(params, step, lastLoss, validPpl, testPpl, tokensPerSecond, trainTokens, trainSeconds);
  }

  private Checkpoint checkpoint(float[] params, Optimizer opt, long step, int windows, Rng rng) {
    return new Checkpoint(config.toText(), model.spec(), vocab.words(), params, cfg.optimizer(), opt.steps(),
        opt.state(), step, (int) (step / windows), (int) (step % windows), rng.state(), backend.carriedState());
  }

  private void checkCompatible(Checkpoint c) {
    if (!c.spec().equals(model.spec())) {
      throw new IllegalArgumentException("the checkpoint in " + run.uri() + " holds a model of shape " + c.spec()
          + ", but the configuration asks for " + model.spec());
    }
    if (!c.vocab().equals(vocab.words())) {
      throw new IllegalArgumentException("the checkpoint in " + run.uri() + " was trained with another vocabulary");
    }
    if (!c.optimizer().equals(cfg.optimizer())) {
      throw new IllegalArgumentException("the checkpoint in " + run.uri() + " was trained with optim="
          + c.optimizer() + ", not " + cfg.optimizer());
    }
  }
}
