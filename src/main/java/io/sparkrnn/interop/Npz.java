package io.sparkrnn.interop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * NumPy's .npz: a zip of {@code NAME.npy} files, each NPY format 1.0 (magic {@code \x93NUMPY}, version
 * 1.0, a little-endian uint16 header length, a Python-dict header padded with spaces to a multiple of
 * 64 bytes and ending in a newline, then the data). Only C-ordered little-endian float32 arrays, which is
 * all a model needs.
 */
public final class Npz {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

  /** A float32 array and its shape. */
  public record Array(int[] shape, float[] data) {
    public Array {
      long n = 1;
      for (int d : shape) {
        n *= d;
      }
      if (n != data.length) {
        throw new IllegalArgumentException("shape " + java.util.Arrays.toString(shape) + " does not hold "
            + data.length + " values");
      }
    }
  }

  private Npz() {}

  public static void write(OutputStream sink, Map<String, Array> arrays) throws IOException {
    ZipOutputStream zip = new ZipOutputStream(sink);
    for (Map.Entry<String, Array> e : arrays.entrySet()) {
      zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
      zip.write(npy(e.getValue()));
      zip.closeEntry();
    }
    zip.finish();
  }

  static byte[] npy(Array a) {
    String[] dims = java.util.Arrays.stream(a.shape()).mapToObj(String::valueOf).toArray(String[]::new);
    String shape = dims.length == 1 ? "(" + dims[0] + ",)" : "(" + String.join(", ", dims) + ")";
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
    int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
    int pad = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + header.length() + 4 * a.data().length)
        .order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
    b.put(header.getBytes(StandardCharsets.US_ASCII));
    b.asFloatBuffer().put(a.data());
    return b.array();
  }

  /** Reads every array of an .npz; {@code name} is used in error messages. */
  public static Map<String, Array> read(InputStream source, String name) throws IOException {
    Map<String, Array> out = new LinkedHashMap<>();
    ZipInputStream zip = new ZipInputStream(source);
    for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
      if (!e.getName().endsWith(".npy")) {
        continue;
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      zip.transferTo(bytes);
      String key = e.getName().substring(0, e.getName().length() - 4);
      out.put(key, parse(bytes.toByteArray(), name + ":" + e.getName()));
    }
    if (out.isEmpty()) {
      throw new IOException(name + " holds no .npy arrays (is it an .npz file?)");
    }
    return out;
  }

  private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']*)'");
  private static final Pattern ORDER = Pattern.compile("'fortran_order':\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

  static Array parse(byte[] npy, String name) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(npy).order(ByteOrder.LITTLE_ENDIAN);
    byte[] magic = new byte[MAGIC.length];
    if (npy.length < 10) {
      throw new IOException(name + " is too short to be an NPY array");
    }
    b.get(magic);
    if (!java.util.Arrays.equals(magic, MAGIC)) {
      throw new IOException(name + " is not an NPY array");
    }
    int major = b.get();
    b.get();
    int headerLen = major == 1 ? Short.toUnsignedInt(b.getShort()) : b.getInt();
    if (headerLen > b.remaining()) {
      throw new IOException(name + " is truncated");
    }
    byte[] h = new byte[headerLen];
    b.get(h);
    String header = new String(h, StandardCharsets.ISO_8859_1);
    Matcher d = DESCR.matcher(header);
    Matcher o = ORDER.matcher(header);
    Matcher s = SHAPE.matcher(header);
    if (!d.find() || !o.find() || !s.find()) {
      throw new IOException(name + " has an unreadable NPY header: " + header.strip());
    }
    if (!d.group(1).equals("<f4") || o.group(1).equals("True")) {
      throw new IOException(name + " holds " + d.group(1) + (o.group(1).equals("True") ? " in Fortran order" : "")
          + "; only C-ordered little-endian float32 ('<f4') is read");
    }
    String[] dims = s.group(1).split(",");
    int[] shape = java.util.Arrays.stream(dims).map(String::trim).filter(x -> !x.isEmpty())
        .mapToInt(Integer::parseInt).toArray();
    long n = 1;
    for (int x : shape) {
      n *= x;
    }
    if (4 * n != b.remaining()) {
      throw new IOException(name + " holds " + b.remaining() + " data bytes, not the " + 4 * n + " of its shape");
    }
    float[] data = new float[(int) n];
    b.asFloatBuffer().get(data);
    return new Array(shape, data);
  }
}
