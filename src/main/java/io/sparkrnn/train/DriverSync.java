package io.sparkrnn.train;

import io.sparkrnn.optim.GradClip;
import io.sparkrnn.optim.Optimizer;

/**
 * The driver holds the parameters and the optimizer: each step the backend returns the summed gradient of all
 * shards (gathered through the driver), which is divided by the total token count (the exact mean over every
 * predicted token), clipped after aggregation, and applied here. Other modes whose state the driver holds
 * between steps (local SGD) extend it with their own {@link #step}.
 */
public class DriverSync implements Sync {
  protected final StepBackend backend;
  protected float[] params;
  protected Optimizer opt;

  public DriverSync(StepBackend backend) {
    this.backend = backend;
  }

  @Override
  public boolean start(float[] params, Optimizer opt, StepBackend.CarriedState carried) {
    this.params = params;
    this.opt = opt;
    return carried == null || backend.restoreState(carried);
  }

  @Override
  public StepBackend.CarriedState carriedState() {
    return backend.carriedState();
  }

  @Override
  public StepStats step(long step, float[] lr, double clip) {
    GradAccumulator acc = backend.gradients(params, step);
    long t0 = System.nanoTime();
    double norm = GradClip.averageAndClip(acc.grad, acc.tokens > 0 ? 1f / acc.tokens : 0f, clip);
    if (Double.isFinite(acc.loss) && Double.isFinite(norm)) {
      opt.step(params, acc.grad, lr[0]);
    }
    StepBackend.StepTiming t = backend.lastTiming();
    return new StepStats(acc.loss, acc.tokens, norm, acc.stateResets, t.compute(), t.broadcast(), t.aggregate(),
        (System.nanoTime() - t0) / 1e6, t.blockBytes());
  }

  @Override
  public void gather(float[] params, Optimizer opt) {
    if (params != this.params || opt != this.opt) {
      throw new IllegalStateException("gather into arrays other than the ones given to start");
    }
  }
}
