package io.sparkrnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * track.tensorboard: the event file's records and checksums as TFRecord defines them, and every number of
 * metrics.jsonl as a scalar at its step, read back by a decoder of the protocol buffers written here.
 */
class EventFileTest {
  @TempDir
  Path dir;

  @Test
  void theChecksumIsTfRecordsMaskedCrc32c() {
    // CRC-32C of "123456789" is 0xE3069283 (RFC 3720's check value), then masked as TFRecord masks it.
    int c = 0xE3069283;
    assertEquals(((c >>> 15) | (c << 17)) + 0xa282ead8,
        EventFile.maskedCrc("123456789".getBytes(StandardCharsets.US_ASCII), 9));
  }

  /** The records TensorBoard's own protocol buffer classes write for the same inputs (jobs/tensorboard_golden.py). */
  @Test
  void theEventsAreByteForByteTheOnesTensorBoardWrites() throws Exception {
    Map<String, String> golden = new HashMap<>();
    for (String line : Files.readAllLines(Path.of("src/test/resources/tensorboard/golden.txt"))) {
      golden.put(line.split(" ")[0], line.split(" ")[1]);
    }
    double wall = 1765000000.25;
    Map<String, Object> row = new java.util.LinkedHashMap<>();
    row.put("step", 300L);
    row.put("train_loss", 5.75);
    row.put("valid_ppl", Double.NaN); // no value: left out
    row.put("lr", 0.002);
    assertEquals(golden.get("version"), hex(EventFile.versionEvent(wall)));
    assertEquals(golden.get("scalars"), hex(EventFile.scalarsEvent(wall, 300, row)));
    assertEquals(golden.get("text"), hex(EventFile.textEvent(wall, 0, "config", "    seed=1")));
    assertEquals(golden.get("start"), hex(EventFile.startEvent(wall, 41)));
  }

  private static String hex(byte[] b) {
    return java.util.HexFormat.of().formatHex(b);
  }

  @Test
  void aRunWritesItsMetricsAsScalarsAndItsConfigurationAsText() throws Exception {
    Config config = Fixtures.tiny(dir, "run", "spark.master=none", "track.tensorboard=true", "log.every=5");
    LocalTraining.run(config);
    Path folder = dir.resolve("run/tensorboard");
    List<Path> files;
    try (var s = Files.list(folder)) {
      files = s.toList();
    }
    assertEquals(1, files.size());
    assertTrue(files.get(0).getFileName().toString().startsWith("events.out.tfevents."));
    List<Map<Integer, List<Object>>> events = new ArrayList<>();
    try (DataInputStream in = new DataInputStream(Files.newInputStream(files.get(0)))) {
      for (byte[] r = record(in); r != null; r = record(in)) {
        events.add(decode(r));
      }
    }
    assertEquals("brain.Event:2", new String((byte[]) events.get(0).get(3).get(0), StandardCharsets.UTF_8));
    Map<Long, Map<String, Float>> scalars = new HashMap<>();
    Map<String, String> texts = new HashMap<>();
    assertTrue(events.get(1).containsKey(7), "a session start after the version"); // SessionLog
    for (Map<Integer, List<Object>> e : events.subList(2, events.size())) {
      long step = e.containsKey(2) ? (Long) e.get(2).get(0) : 0; // 0 is left out, as protobuf leaves defaults out
      for (Object v : decode((byte[]) e.get(5).get(0)).get(1)) {
        Map<Integer, List<Object>> value = decode((byte[]) v);
        String tag = new String((byte[]) value.get(1).get(0), StandardCharsets.UTF_8);
        if (value.containsKey(2)) {
          scalars.computeIfAbsent(step, k -> new HashMap<>()).put(tag, Float.intBitsToFloat((Integer) value.get(2)
              .get(0)));
        } else {
          texts.put(tag, new String((byte[]) decode((byte[]) value.get(8).get(0)).get(8).get(0),
              StandardCharsets.UTF_8));
        }
      }
    }
    assertTrue(texts.get("config").contains("track.tensorboard=true"), texts.toString());
    String results = texts.get("results"); // the report's results, rounded, and where the report and model are
    assertTrue(results.contains("| validation perplexity | ") && results.contains(" tokens/s |")
        && results.contains(dir.resolve("run").toString() + "/report.html"), results);
    List<Map<String, Object>> rows;
    try (RunFolder run = RunFolder.existing(dir.resolve("run").toString())) {
      rows = run.readMetrics();
    }
    assertTrue(rows.size() >= 4, "rows " + rows.size());
    int compared = 0;
    for (Map<String, Object> row : rows) {
      Map<String, Float> at = scalars.get(((Number) row.get("step")).longValue());
      for (Map.Entry<String, Object> m : row.entrySet()) {
        if (!m.getKey().equals("step") && m.getValue() instanceof Number n && !Double.isNaN(n.doubleValue())) {
          assertEquals(n.floatValue(), at.get(m.getKey()), 0f, m.getKey() + " at step " + row.get("step"));
          compared++;
        }
      }
    }
    assertTrue(compared > 20, "scalars compared: " + compared);
  }

  /** One TFRecord's data, its two checksums checked; null at the end of the file. */
  private static byte[] record(DataInputStream in) throws Exception {
    byte[] header = new byte[12];
    try {
      in.readFully(header);
    } catch (EOFException end) {
      return null;
    }
    ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
    long length = h.getLong();
    assertEquals(EventFile.maskedCrc(header, 8), h.getInt());
    byte[] data = new byte[(int) length];
    in.readFully(data);
    byte[] footer = new byte[4];
    in.readFully(footer);
    assertEquals(EventFile.maskedCrc(data, data.length), ByteBuffer.wrap(footer).order(ByteOrder.LITTLE_ENDIAN)
        .getInt());
    return data;
  }

  /** A protocol buffer message's fields by number: varints as Long, fixed64 as Long, fixed32 as Integer, bytes. */
  private static Map<Integer, List<Object>> decode(byte[] b) throws Exception {
    Map<Integer, List<Object>> fields = new HashMap<>();
    InputStream in = new java.io.ByteArrayInputStream(b);
    while (in.available() > 0) {
      long key = varint(in);
      Object v = switch ((int) (key & 7)) {
        case 0 -> varint(in);
        case 1 -> ByteBuffer.wrap(in.readNBytes(8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
        case 2 -> in.readNBytes((int) varint(in));
        case 5 -> ByteBuffer.wrap(in.readNBytes(4)).order(ByteOrder.LITTLE_ENDIAN).getInt();
        default -> throw new AssertionError("wire type " + (key & 7));
      };
      fields.computeIfAbsent((int) (key >>> 3), k -> new ArrayList<>()).add(v);
    }
    return fields;
  }

  private static long varint(InputStream in) throws Exception {
    long v = 0;
    for (int shift = 0; ; shift += 7) {
      int b = in.read();
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
  }
}
