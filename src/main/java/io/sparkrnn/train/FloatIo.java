package io.sparkrnn.train;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * float[] as an int32 count and big-endian float32 values, converted in bulk chunks rather than one
 * {@code writeFloat} call per element (which costs tens of milliseconds per million floats). Used by the
 * checkpoint format and by everything Spark ships between driver and executors.
 */
public final class FloatIo {
  private static final int CHUNK = 1 << 16; // floats per conversion buffer

  private FloatIo() {}

  public static void write(DataOutput out, float[] a) throws IOException {
    out.writeInt(a.length);
    writeRaw(out, a, 0, a.length);
  }

  /** Reads what {@link #write} wrote; a count above {@code maxCount} is reported as corruption. */
  public static float[] read(DataInput in, long maxCount) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > maxCount) {
      throw new IOException("corrupted length field " + n);
    }
    float[] a = new float[n];
    readRaw(in, a, 0, n);
    return a;
  }

  /** a[off, off+n) as raw float32 values, no count. */
  public static void writeRaw(DataOutput out, float[] a, int off, int n) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(4 * Math.max(1, Math.min(CHUNK, n)));
    for (int done = 0; done < n; done += CHUNK) {
      int k = Math.min(CHUNK, n - done);
      buf.clear();
      buf.asFloatBuffer().put(a, off + done, k);
      out.write(buf.array(), 0, 4 * k);
    }
  }

  /** Fills a[off, off+n) from what {@link #writeRaw} wrote. */
  public static void readRaw(DataInput in, float[] a, int off, int n) throws IOException {
    byte[] bytes = new byte[4 * Math.max(1, Math.min(CHUNK, n))];
    for (int done = 0; done < n; done += CHUNK) {
      int k = Math.min(CHUNK, n - done);
      in.readFully(bytes, 0, 4 * k);
      ByteBuffer.wrap(bytes, 0, 4 * k).asFloatBuffer().get(a, off + done, k);
    }
  }

  /**
   * f as bfloat16 (the upper half of its float32 bits, rounded to nearest even): 7 stored mantissa bits,
   * relative error at most 2^-8. For gradients only, and only when asked for (spark.gradientPrecision=bf16).
   */
  public static short toBf16(float f) {
    int bits = Float.floatToRawIntBits(f);
    if (Float.isNaN(f)) {
      return (short) ((bits >>> 16) | 0x40); // keep it a NaN
    }
    return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
  }

  public static float fromBf16(short h) {
    return Float.intBitsToFloat((h & 0xFFFF) << 16);
  }
}
