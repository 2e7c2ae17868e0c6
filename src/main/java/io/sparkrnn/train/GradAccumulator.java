package io.sparkrnn.train;

import io.sparkrnn.math.Kernels;
import io.sparkrnn.math.Parallel;
import java.io.Externalizable;
import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The sums one worker returns for a step: gradient of the summed loss, summed NLL, predicted
 * tokens. Sums, never means, so that partitions of unequal size combine exactly; the driver divides
 * once by the total token count.
 *
 * <p>Its wire form ({@link #encode}, little-endian, the order of the CPUs this runs on, so floats are copied in
 * bulk) is added straight into another accumulator by {@link #addEncoded}, without a float[] in between.
 */
public final class GradAccumulator implements Externalizable {
  private static final long serialVersionUID = 1L;
  private static final int HEADER_BYTES = 5 * 4 + 1 + 8 + 8 + 8 + 4;

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
  /**
   * Told by the model when part of the gradient is complete before the window's backward pass ends (not shipped;
   * null: no one).
   */
  public transient io.sparkrnn.nn.GradientReady ready;
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

  /**
   * Rounds the gradient to the precision it would have after a trip through the wire form (bfloat16 when
   * asked for; float32 is exact): a gradient handed over in the JVM then equals one that was shipped.
   */
  public void roundToWirePrecision() {
    if (bf16) {
      Parallel.forRanges(grad.length, (from, to) -> {
        for (int i = from; i < to; i++) {
          grad[i] = FloatIo.fromBf16(FloatIo.toBf16(grad[i]));
        }
      });
    }
  }

  /** Declares grad[offset, offset + rows·cols) as a row block to ship sparsely; returns this. */
  public GradAccumulator sparseRows(int offset, int rows, int cols) {
    this.sparseOffset = offset;
    this.sparseRows = rows;
    this.sparseCols = cols;
    return this;
  }

  /** The sparse row block: {offset, rows, cols} (rows 0 when there is none). */
  public int[] sparseBlock() {
    return new int[] {sparseOffset, sparseRows, sparseCols};
  }

  /** Adds {@code other} into this one and returns this; {@code other} is not changed. */
  public GradAccumulator merge(GradAccumulator other) {
    float[] src = other.grad;
    Parallel.forRanges(grad.length, (from, to) -> Kernels.add(src, grad, from, to - from));
    addCounts(other.loss, other.tokens, other.computeMs, other.stateResets);
    return this;
  }

  /** Makes this one a copy of {@code other} (gradient and counts) and returns this. */
  public GradAccumulator copyFrom(GradAccumulator other) {
    float[] src = other.grad;
    if (src.length != grad.length) {
      throw new IllegalArgumentException("a gradient of " + src.length + " values for a model of " + grad.length);
    }
    Parallel.forRanges(grad.length, (from, to) -> System.arraycopy(src, from, grad, from, to - from));
    clearCounts();
    addCounts(other.loss, other.tokens, other.computeMs, other.stateResets);
    return this;
  }

  private void addCounts(double loss, long tokens, double computeMs, int stateResets) {
    this.loss += loss;
    this.tokens += tokens;
    this.computeMs = Math.max(this.computeMs, computeMs);
    this.stateResets += stateResets;
  }

  public void reset() {
    Parallel.forRanges(grad.length, (from, to) -> java.util.Arrays.fill(grad, from, to, 0f));
    clearCounts();
  }

  private void clearCounts() {
    loss = 0;
    tokens = 0;
    computeMs = 0;
    stateResets = 0;
  }

  /** Bytes that {@link #encode} needs at most. */
  public int maxEncodedBytes() {
    return HEADER_BYTES + 4 * sparseRows + (bf16 ? 2 : 4) * grad.length;
  }

  /**
   * Writes the wire form into {@code out} from its position: a header with the sizes and counts, the indices
   * of the non-zero rows of the sparse block, then the values of the dense parts and of those rows.
   */
  public void encode(ByteBuffer out) {
    ByteBuffer b = out.order(ByteOrder.LITTLE_ENDIAN);
    int[] rows = nonZeroRows();
    b.putInt(grad.length).putInt(sparseOffset).putInt(sparseRows).putInt(sparseCols).putInt(rows.length);
    b.put((byte) (bf16 ? 1 : 0)).putDouble(loss).putLong(tokens).putDouble(computeMs).putInt(stateResets);
    for (int r : rows) {
      b.putInt(r);
    }
    put(b, 0, sparseOffset);
    for (int r : rows) {
      put(b, sparseOffset + r * sparseCols, sparseCols);
    }
    int end = sparseOffset + sparseRows * sparseCols;
    put(b, end, grad.length - end);
  }

  /**
   * Adds the accumulator encoded in {@code in} (from its position, which is left unchanged) into this one.
   * The dense parts are added on all cores, straight from the bytes.
   */
  public void addEncoded(ByteBuffer in) throws IOException {
    ByteBuffer b = in.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int size = b.getInt();
    int offset = b.getInt();
    int rowCount = b.getInt();
    int cols = b.getInt();
    int n = b.getInt();
    boolean half = b.get() != 0;
    if (size != grad.length || offset < 0 || rowCount < 0 || cols < 0 || n < 0 || n > rowCount
        || offset + (long) rowCount * cols > size) {
      throw new IOException("a gradient of " + size + " values (sparse block " + rowCount + " x " + cols + " at "
          + offset + ", " + n + " rows) does not fit a model of " + grad.length + " parameters");
    }
    addCounts(b.getDouble(), b.getLong(), b.getDouble(), b.getInt());
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) {
      rows[i] = b.getInt();
      if (rows[i] < 0 || rows[i] >= rowCount) {
        throw new IOException("row " + rows[i] + " outside the sparse block of " + rowCount + " rows");
      }
    }
    int width = half ? 2 : 4;
    int at = b.position();
    addFrom(b, at, 0, offset, half);
    at += width * offset;
    for (int r : rows) {
      addFrom(b, at, offset + r * cols, cols, half);
      at += width * cols;
    }
    int end = offset + rowCount * cols;
    addFrom(b, at, end, size - end, half);
  }

  private void addFrom(ByteBuffer b, int byteAt, int off, int n, boolean half) {
    if (half) {
      for (int i = 0; i < n; i++) {
        grad[off + i] += FloatIo.fromBf16(b.getShort(byteAt + 2 * i));
      }
    } else {
      Parallel.forRanges(n, (from, to) -> Kernels.addFromBytes(b, byteAt + 4 * from, grad, off + from, to - from));
    }
  }

  private void put(ByteBuffer b, int off, int n) {
    if (bf16) {
      for (int i = off; i < off + n; i++) {
        b.putShort(FloatIo.toBf16(grad[i]));
      }
    } else {
      b.asFloatBuffer().put(grad, off, n);
      b.position(b.position() + 4 * n);
    }
  }

  /**
   * The parts of grad[a, b) that can hold non-zero values, as (start, length) pairs in order: all of it outside the
   * sparse row block, and of the block the rows in {@code rows} (from {@link #nonZeroRows}); touching parts merged.
   */
  public int[] runs(int a, int b, int[] rows) {
    int[] out = new int[2 * (rows.length + 2)];
    int n = 0;
    int blockEnd = sparseOffset + sparseRows * sparseCols;
    int[] starts = new int[rows.length + 2];
    int[] ends = new int[rows.length + 2];
    int k = 0;
    starts[k] = 0;
    ends[k++] = sparseOffset;
    for (int r : rows) {
      starts[k] = sparseOffset + r * sparseCols;
      ends[k++] = sparseOffset + (r + 1) * sparseCols;
    }
    starts[k] = blockEnd;
    ends[k++] = grad.length;
    for (int i = 0; i < k; i++) {
      int s = Math.max(a, starts[i]);
      int e = Math.min(b, ends[i]);
      if (s >= e) {
        continue;
      }
      if (n > 0 && out[n - 2] + out[n - 1] == s) {
        out[n - 1] += e - s;
      } else {
        out[n++] = s;
        out[n++] = e - s;
      }
    }
    return java.util.Arrays.copyOf(out, n);
  }

  /** Whether grad[a, b) reaches into the sparse row block. */
  public boolean touchesSparseRows(int a, int b) {
    return sparseRows > 0 && a < sparseOffset + sparseRows * sparseCols && b > sparseOffset;
  }

  /** The rows of the sparse block that are not all zero, in order (none when there is no block). */
  public int[] nonZeroRows() {
    int[] rows = new int[sparseRows];
    int n = 0;
    for (int r = 0; r < sparseRows; r++) {
      if (Kernels.anyNonZero(grad, sparseOffset + r * sparseCols, sparseCols)) {
        rows[n++] = r;
      }
    }
    return java.util.Arrays.copyOf(rows, n);
  }

  /** The wire form of {@link #encode}, preceded by its length. */
  @Override
  public void writeExternal(ObjectOutput out) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(maxEncodedBytes());
    encode(b);
    out.writeInt(b.position());
    out.write(b.array(), 0, b.position());
  }

  @Override
  public void readExternal(ObjectInput in) throws IOException {
    byte[] bytes = new byte[in.readInt()];
    in.readFully(bytes);
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    grad = new float[b.getInt(0)];
    sparseOffset = b.getInt(4);
    sparseRows = b.getInt(8);
    sparseCols = b.getInt(12);
    bf16 = b.get(20) != 0;
    addEncoded(b);
  }
}
