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
  /**
   * A block of rows (the embedding table) that is mostly zero in one step's gradient: only the rows of
   * tokens seen in the window are not. It travels as a list of its non-zero rows.
   */
  private int sparseOffset;
  private int sparseRows;
  private int sparseCols;
  /** Ship the gradient as bfloat16 (half the bytes, about 3 significant digits). */
  private boolean bf16;

  public GradAccumulator(int size) {
    this.grad = new float[size];
  }

  /** For deserialization only. */
  public GradAccumulator() {
    this(0);
  }

  /** Ships the gradient as bfloat16 from now on when {@code on}; returns this. */
  public GradAccumulator bf16(boolean on) {
    this.bf16 = on;
    return this;
  }

  /** Declares grad[offset, offset + rows·cols) as a row block to ship sparsely; returns this. */
  public GradAccumulator sparseRows(int offset, int rows, int cols) {
    this.sparseOffset = offset;
    this.sparseRows = rows;
    this.sparseCols = cols;
    return this;
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

  /**
   * The gradient travels as bulk byte copies (Spark ships one of these per partition and step), the
   * sparse row block as the indices and values of its non-zero rows only.
   */
  @Override
  public void writeExternal(ObjectOutput out) throws IOException {
    out.writeInt(grad.length);
    out.writeInt(sparseOffset);
    out.writeInt(sparseRows);
    out.writeInt(sparseCols);
    out.writeBoolean(bf16);
    writeRaw(out, 0, sparseOffset);
    int[] rows = new int[sparseRows];
    int n = 0;
    for (int r = 0; r < sparseRows; r++) {
      int base = sparseOffset + r * sparseCols;
      for (int j = base; j < base + sparseCols; j++) {
        if (grad[j] != 0f) {
          rows[n++] = r;
          break;
        }
      }
    }
    out.writeInt(n);
    for (int i = 0; i < n; i++) {
      out.writeInt(rows[i]);
      writeRaw(out, sparseOffset + rows[i] * sparseCols, sparseCols);
    }
    int end = sparseOffset + sparseRows * sparseCols;
    writeRaw(out, end, grad.length - end);
    out.writeDouble(loss);
    out.writeLong(tokens);
    out.writeDouble(computeMs);
    out.writeInt(stateResets);
  }

  @Override
  public void readExternal(ObjectInput in) throws IOException {
    grad = new float[in.readInt()];
    sparseOffset = in.readInt();
    sparseRows = in.readInt();
    sparseCols = in.readInt();
    bf16 = in.readBoolean();
    readRaw(in, 0, sparseOffset);
    int n = in.readInt();
    for (int i = 0; i < n; i++) {
      readRaw(in, sparseOffset + in.readInt() * sparseCols, sparseCols);
    }
    int end = sparseOffset + sparseRows * sparseCols;
    readRaw(in, end, grad.length - end);
    loss = in.readDouble();
    tokens = in.readLong();
    computeMs = in.readDouble();
    stateResets = in.readInt();
  }

  private void writeRaw(ObjectOutput out, int off, int n) throws IOException {
    if (bf16) {
      FloatIo.writeRawBf16(out, grad, off, n);
    } else {
      FloatIo.writeRaw(out, grad, off, n);
    }
  }

  private void readRaw(ObjectInput in, int off, int n) throws IOException {
    if (bf16) {
      FloatIo.readRawBf16(in, grad, off, n);
    } else {
      FloatIo.readRaw(in, grad, off, n);
    }
  }
}
