package io.sparkrnn.train;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.CRC32C;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A TensorBoard event file ({@code tensorboard --logdir RUN/tensorboard}): the metric rows as scalars and the
 * configuration as text. The file is a sequence of TFRecords (length, masked CRC-32C of the length, data, masked
 * CRC-32C of the data), each holding one {@code Event} protocol buffer; the few messages it needs (Event, Summary,
 * Summary.Value with its text-plugin metadata and string tensor, SessionLog) are encoded here by field number, byte for
 * byte as TensorBoard's own classes encode them (EventFileTest compares with records they wrote).
 */
final class EventFile implements Closeable {
  private final FSDataOutputStream out;

  private EventFile(FSDataOutputStream out) {
    this.out = out;
  }

  /**
   * Starts a new event file in {@code dir} (TensorBoard reads every file of a folder, in name order) for a run that
   * starts or goes on at {@code step}: the file's version, then a session start, on which TensorBoard drops what
   * earlier files hold from that step on (steps a resumed or rolled-back run trains again).
   */
  static EventFile create(FileSystem fs, Path dir, long step) throws IOException {
    long now = System.currentTimeMillis();
    FSDataOutputStream out = fs.create(new Path(dir, "events.out.tfevents." + now / 1000 + "." + host()
        + ".spark-rnn." + now % 1000), false);
    EventFile f = new EventFile(out);
    try {
      f.record(versionEvent(now / 1000.0));
      f.restart(step);
    } catch (IOException e) {
      out.close();
      throw e;
    }
    return f;
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) { // a container without a resolvable name
      return "localhost";
    }
  }

  /** Every number of a metric row but the step, as scalars at that step; NaN (no value) is left out. */
  void scalars(Map<String, Object> row) throws IOException {
    record(scalarsEvent(now(), ((Number) row.get("step")).longValue(), row));
  }

  /** A text summary (TensorBoard's Text tab renders it as Markdown). */
  void text(String tag, long step, String markdown) throws IOException {
    record(textEvent(now(), step, tag, markdown));
  }

  /** Marks that the run goes on from {@code step}: TensorBoard forgets the steps from there on written before. */
  void restart(long step) throws IOException {
    record(startEvent(now(), step + 1));
  }

  private static double now() {
    return System.currentTimeMillis() / 1000.0;
  }

  static byte[] versionEvent(double wallTime) {
    return new Proto().fixed64(1, Double.doubleToLongBits(wallTime)).string(3, "brain.Event:2").bytes();
  }

  static byte[] scalarsEvent(double wallTime, long step, Map<String, Object> row) {
    Proto summary = new Proto();
    for (Map.Entry<String, Object> e : row.entrySet()) {
      if (!e.getKey().equals("step") && e.getValue() instanceof Number n && !Double.isNaN(n.doubleValue())) {
        summary.message(1, new Proto().string(1, e.getKey()).fixed32(2, Float.floatToIntBits(n.floatValue())));
      }
    }
    return event(wallTime, step).message(5, summary).bytes();
  }

  static byte[] textEvent(double wallTime, long step, String tag, String markdown) {
    Proto metadata = new Proto().message(1, new Proto().string(1, "text"));
    Proto tensor = new Proto().varint(1, 7).message(2, new Proto()).string(8, markdown); // DT_STRING, a scalar
    Proto value = new Proto().string(1, tag).message(8, tensor).message(9, metadata);
    return event(wallTime, step).message(5, new Proto().message(1, value)).bytes();
  }

  /** SessionLog{status: START} at {@code step}. */
  static byte[] startEvent(double wallTime, long step) {
    return event(wallTime, step).message(7, new Proto().varint(1, 1)).bytes();
  }

  /** An Event's wall time and step, the step left out when 0 (its default), fields in number order as protobuf writes them. */
  private static Proto event(double wallTime, long step) {
    Proto e = new Proto().fixed64(1, Double.doubleToLongBits(wallTime));
    return step == 0 ? e : e.varint(2, step);
  }

  private void record(byte[] data) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    header.putLong(data.length);
    header.putInt(maskedCrc(header.array(), 8));
    ByteBuffer footer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(maskedCrc(data, data.length));
    out.write(header.array());
    out.write(data);
    out.write(footer.array());
    out.hflush();
  }

  /** TFRecord's checksum: CRC-32C rotated right by 15 bits plus a constant. */
  static int maskedCrc(byte[] b, int len) {
    CRC32C crc = new CRC32C();
    crc.update(b, 0, len);
    int c = (int) crc.getValue();
    return ((c >>> 15) | (c << 17)) + 0xa282ead8;
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  /** A protocol buffer message being written: fields by number and wire type. */
  static final class Proto {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

    Proto varint(int field, long v) {
      key(field, 0);
      raw(v);
      return this;
    }

    Proto fixed64(int field, long v) {
      key(field, 1);
      for (int i = 0; i < 8; i++) {
        buf.write((int) (v >>> (8 * i)));
      }
      return this;
    }

    Proto fixed32(int field, int v) {
      key(field, 5);
      for (int i = 0; i < 4; i++) {
        buf.write(v >>> (8 * i));
      }
      return this;
    }

    Proto string(int field, String s) {
      return bytes(field, s.getBytes(StandardCharsets.UTF_8));
    }

    Proto message(int field, Proto m) {
      return bytes(field, m.bytes());
    }

    private Proto bytes(int field, byte[] b) {
      key(field, 2);
      raw(b.length);
      buf.write(b, 0, b.length);
      return this;
    }

    private void key(int field, int wireType) {
      raw(((long) field << 3) | wireType);
    }

    private void raw(long v) {
      while ((v & ~0x7FL) != 0) {
        buf.write((int) ((v & 0x7F) | 0x80));
        v >>>= 7;
      }
      buf.write((int) v);
    }

    byte[] bytes() {
      return buf.toByteArray();
    }
  }
}
