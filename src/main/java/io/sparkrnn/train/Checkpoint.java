package io.sparkrnn.train;

import io.sparkrnn.math.Activation;
import io.sparkrnn.nn.ModelSpec;
import io.sparkrnn.train.StepBackend.CarriedState;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * Everything needed to resume a run exactly, in a documented binary format (no Java serialization,
 * so reading a file can never run code). Big-endian, as {@link DataOutputStream} writes:
 * <pre>
 *   "SRNNCKPT"            8 bytes magic
 *   int32 version         3
 *   int64 bodyLength
 *   body                  (below)
 *   int32 crc32(body)
 * body:
 *   text config           config.properties text
 *   text family           "lm" (language model), "seq2seq"
 *   text shape            the model's sizes, key=value lines ({@link ModelCard#shape})
 *   int32 v, v × (text file name, int32 n, n × text)   vocabularies in id order
 *   floats params
 *   text optimizer, int64 optimizerSteps, int32 k, k × floats   optimizer moments
 *   int64 step, int32 epoch, int32 nextWindow, int64 rngState
 *   int32 s, s × int32 shardStreams, floats carriedState
 *   int64 averageFrom, floats iterate     (version 4) −1 and none, or: params is the mean of the iterates
 *                                         since step averageFrom and iterate the optimizer's own parameters
 * text = int32 byte length + UTF-8 bytes; floats = int32 count + count × float32
 * </pre>
 * The reader checks the magic, version, length and checksum before parsing anything, and every
 * length against what is left, so a truncated or corrupted file is reported, never half-loaded. Versions 1 and 2
 * held a language model's spec as binary fields where version 3 has family, shape and vocabularies; they are read.
 */
public record Checkpoint(String config, ModelCard model, float[] params,
    String optimizer, long optimizerSteps, float[][] optimizerState,
    long step, int epoch, int nextWindow, long rngState, CarriedState carried, long averageFrom, float[] iterate) {

  /** A checkpoint without averaging: {@code params} are the optimizer's. */
  public Checkpoint(String config, ModelCard model, float[] params, String optimizer, long optimizerSteps,
      float[][] optimizerState, long step, int epoch, int nextWindow, long rngState, CarriedState carried) {
    this(config, model, params, optimizer, optimizerSteps, optimizerState, step, epoch, nextWindow, rngState, carried,
        -1, new float[0]);
  }

  /** The parameters the optimizer goes on from: the iterate when averaging, else the model's. */
  public float[] trainingParams() {
    return averageFrom >= 0 ? iterate : params;
  }

  private static final byte[] MAGIC = "SRNNCKPT".getBytes(StandardCharsets.US_ASCII);
  /**
   * 4: the mean of the iterates (NT-ASGD); 3: the model as family, shape text and named vocabularies; 2 added the output layer (adaptive softmax
   * cutoffs) to a language model's fields; 1 is read as a full softmax.
   */
  private static final int VERSION = 4;

  /** The language model this checkpoint holds; a clear error when it holds another family. */
  public LanguageModelCard languageModel() {
    if (model instanceof LanguageModelCard lm) {
      return lm;
    }
    throw new IllegalArgumentException("this checkpoint holds a model.family=" + model.family()
        + " model, not a language model (lm)");
  }

  /** The language model's spec (see {@link #languageModel}). */
  public ModelSpec spec() {
    return languageModel().spec();
  }

  /** The language model's vocabulary (see {@link #languageModel}). */
  public List<String> vocab() {
    return languageModel().vocab();
  }

  /**
   * Streams the checkpoint to {@code sink} without holding a copy of it: a first pass over the fields only counts
   * the body's bytes (the header needs its length), the second writes it and its checksum. A model with a large
   * vocabulary and Adam's moments is over a gigabyte; a copy in memory ran the final checkpoint out of heap.
   */
  public void write(OutputStream sink) throws IOException {
    Counter counter = new Counter();
    writeBody(new DataOutputStream(counter));
    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(sink, 1 << 16));
    out.write(MAGIC);
    out.writeInt(VERSION);
    out.writeLong(counter.bytes);
    CheckedOutputStream checked = new CheckedOutputStream(out, new CRC32());
    writeBody(new DataOutputStream(checked));
    out.writeInt((int) checked.getChecksum().getValue());
    out.flush();
  }

  private void writeBody(DataOutputStream b) throws IOException {
    text(b, config);
    text(b, model.family());
    text(b, model.shape());
    b.writeInt(model.vocabularies().size());
    for (var v : model.vocabularies().entrySet()) {
      text(b, v.getKey());
      b.writeInt(v.getValue().size());
      for (String w : v.getValue()) {
        text(b, w);
      }
    }
    floats(b, params);
    text(b, optimizer);
    b.writeLong(optimizerSteps);
    b.writeInt(optimizerState.length);
    for (float[] s : optimizerState) {
      floats(b, s);
    }
    b.writeLong(step);
    b.writeInt(epoch);
    b.writeInt(nextWindow);
    b.writeLong(rngState);
    b.writeInt(carried.shardStreams().length);
    for (int c : carried.shardStreams()) {
      b.writeInt(c);
    }
    floats(b, carried.state());
    b.writeLong(averageFrom);
    floats(b, iterate);
    b.flush();
  }

  /**
   * Reads a checkpoint; {@code name} is used in error messages. Parsed as it streams in (no copy of the body), then
   * the checksum is compared before anything is returned, so a corrupted file is reported, never half-loaded.
   */
  public static Checkpoint read(InputStream source, String name) throws IOException {
    DataInputStream in = new DataInputStream(new BufferedInputStream(source, 1 << 16));
    try {
      byte[] magic = new byte[MAGIC.length];
      in.readFully(magic);
      if (!java.util.Arrays.equals(magic, MAGIC)) {
        throw new IOException(name + " is not a spark-rnn checkpoint (bad magic)");
      }
      int version = in.readInt();
      if (version < 1 || version > VERSION) {
        throw new IOException(name + " has checkpoint format " + version + "; this version reads 1 to " + VERSION);
      }
      long length = in.readLong();
      if (length < 0) {
        throw new IOException(name + " is corrupted: impossible body length " + length);
      }
      Body body = new Body(in, length);
      CheckedInputStream checked = new CheckedInputStream(body, new CRC32());
      Checkpoint c = null;
      IOException failure = null;
      try {
        c = parse(new DataInputStream(checked), version);
      } catch (EOFException e) {
        throw e;
      } catch (IOException | RuntimeException e) {
        // A flipped bit in a length or a name shows up while parsing; the checksum below says which it was.
        failure = new IOException(name + " is corrupted: " + e.getMessage(), e);
        checked.skipNBytes(body.remaining);
      }
      if (body.remaining != 0 || (int) checked.getChecksum().getValue() != in.readInt()) {
        throw new IOException(name + " is corrupted: checksum mismatch");
      }
      if (failure != null) {
        throw failure;
      }
      return c;
    } catch (EOFException e) {
      throw new IOException(name + " is truncated", e);
    }
  }

  /** Counts what is written and keeps none of it. */
  private static final class Counter extends OutputStream {
    long bytes;

    @Override
    public void write(int b) {
      bytes++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      bytes += len;
    }
  }

  /** The body: ends after its stated length, and its {@code available()} is what is left of it. */
  private static final class Body extends java.io.FilterInputStream {
    long remaining;

    Body(InputStream in, long length) {
      super(in);
      remaining = length;
    }

    @Override
    public int read() throws IOException {
      if (remaining == 0) {
        return -1;
      }
      int b = in.read();
      if (b < 0) {
        throw new EOFException();
      }
      remaining--;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (remaining == 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, remaining));
      if (n < 0) {
        throw new EOFException();
      }
      remaining -= n;
      return n;
    }

    @Override
    public int available() {
      return (int) Math.min(Integer.MAX_VALUE, remaining);
    }
  }

  private static Checkpoint parse(DataInputStream b, int version) throws IOException {
    String config = text(b);
    ModelCard model = version >= 3 ? card(b) : languageModelCard(b, version);
    float[] params = floats(b);
    String optimizer = text(b);
    long optimizerSteps = b.readLong();
    float[][] state = new float[count(b, 4)][];
    for (int i = 0; i < state.length; i++) {
      state[i] = floats(b);
    }
    long step = b.readLong();
    int epoch = b.readInt();
    int next = b.readInt();
    long rng = b.readLong();
    int[] shards = new int[count(b, 4)];
    for (int i = 0; i < shards.length; i++) {
      shards[i] = b.readInt();
    }
    float[] carried = floats(b);
    long averageFrom = version >= 4 ? b.readLong() : -1;
    float[] iterate = version >= 4 ? floats(b) : new float[0];
    return new Checkpoint(config, model, params, optimizer, optimizerSteps, state, step, epoch, next, rng,
        new CarriedState(shards, carried, next), averageFrom, iterate);
  }

  private static ModelCard card(DataInputStream b) throws IOException {
    String family = text(b);
    String shape = text(b);
    java.util.Map<String, List<String>> vocabularies = new java.util.LinkedHashMap<>();
    for (int v = count(b, 8); v > 0; v--) {
      vocabularies.put(text(b), words(b));
    }
    return ModelCard.read(family, shape, vocabularies);
  }

  /** A language model in the binary fields of versions 1 and 2. */
  private static ModelCard languageModelCard(DataInputStream b, int version) throws IOException {
    String cell = text(b);
    int vocabSize = b.readInt();
    int embed = b.readInt();
    int hidden = b.readInt();
    int layers = b.readInt();
    boolean peephole = b.readBoolean();
    Activation activation = Activation.valueOf(text(b));
    List<Integer> cutoffs = new ArrayList<>();
    int tailDiv = 4;
    if (version >= 2) {
      for (int i = count(b, 4); i > 0; i--) {
        cutoffs.add(b.readInt());
      }
      tailDiv = b.readInt();
    }
    ModelSpec spec = new ModelSpec(cell, vocabSize, embed, hidden, layers, peephole, activation, cutoffs, tailDiv);
    return new LanguageModelCard(spec, words(b));
  }

  private static List<String> words(DataInputStream b) throws IOException {
    int n = count(b, 4);
    List<String> words = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      words.add(text(b));
    }
    return words;
  }

  private static void text(DataOutputStream out, String s) throws IOException {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static String text(DataInputStream in) throws IOException {
    byte[] bytes = new byte[count(in, 1)];
    in.readFully(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static void floats(DataOutputStream out, float[] a) throws IOException {
    FloatIo.write(out, a);
  }

  private static float[] floats(DataInputStream in) throws IOException {
    return FloatIo.read(in, in.available() / 4);
  }

  /** A length field, checked against the bytes left so a corrupted length cannot allocate gigabytes. */
  private static int count(DataInputStream in, int bytesEach) throws IOException {
    int n = in.readInt();
    if (n < 0 || (long) n * bytesEach > in.available()) {
      throw new IOException("corrupted length field " + n);
    }
    return n;
  }
}
