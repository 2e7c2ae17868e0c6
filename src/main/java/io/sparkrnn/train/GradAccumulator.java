package io.sparkrnn.train;

import java.io.Externalizable;
import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;

/**
 * The sums one worker returns for a step: gradient of the summed loss, summed NLL, predicted
 * tokens. Sums, never means, so that partitions of unequal size combine exactly; the driver divides
 * once by the total token count.
 */
public final class GradAccumulator implements Externalizable {
  private static final long serialVersionUID = 1L;

  public float[] grad; // (P)
  public double loss;
  public long tokens;
  /** Longest forward/backward time of the merged workers, in ms (the step waits for the slowest). */
  public double computeMs;
  /** Workers that had to start their window from zero state because they lost their carried state. */
  public int stateResets;

  public GradAccumulator(int size) {
    this.grad = new float[size];
  }

  /** For deserialization only. */
  public GradAccumulator() {
    this(0);
  }

  /** Adds {@code other} into this one and returns this; {@code other} is not changed. */
  public GradAccumulator merge(GradAccumulator other) {
    io.sparkrnn.math.Kernels.add(other.grad, grad);
    loss += other.loss;
    tokens += other.tokens;
    computeMs = Math.max(computeMs, other.computeMs);
    stateResets += other.stateResets;
    return this;
  }

  public void reset() {
    java.util.Arrays.fill(grad, 0f);
    loss = 0;
    tokens = 0;
    computeMs = 0;
    stateResets = 0;
  }

  /** The gradient travels as one bulk byte copy (Spark ships one of these per partition and step). */
  @Override
  public void writeExternal(ObjectOutput out) throws IOException {
    FloatIo.write(out, grad);
    out.writeDouble(loss);
    out.writeLong(tokens);
    out.writeDouble(computeMs);
    out.writeInt(stateResets);
  }

  @Override
  public void readExternal(ObjectInput in) throws IOException {
    grad = FloatIo.read(in, Integer.MAX_VALUE);
    loss = in.readDouble();
    tokens = in.readLong();
    computeMs = in.readDouble();
    stateResets = in.readInt();
  }
}
