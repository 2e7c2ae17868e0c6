package io.sparkrnn.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The run folder, on any Hadoop file system (a local path, {@code file://}, {@code hdfs://},
 * {@code s3a://}): config.properties, metrics.jsonl, summary.json, checkpoint/model.ckpt and
 * report.html. A checkpoint is written under a temporary name and renamed, and the previous one is
 * kept until the new one is in place, so a crash at any moment leaves a loadable checkpoint. A write that fails
 * (a full disk, a lost mount) is an IOException that names the file and the cause, never a half-written file in
 * place of a good one.
 */
public final class RunFolder implements Closeable {
  static final ObjectMapper JSON = new ObjectMapper();
  private final FileSystem fs;
  private final Path dir;
  private final Path ckpt;
  private final Path ckptPrev;
  private final Path ckptTmp;
  private final Path metricsFile;
  private final Path tensorboardDir;
  private FSDataOutputStream metrics;
  private EventFile events;

  private RunFolder(FileSystem fs, Path dir) {
    this.fs = fs;
    this.dir = dir;
    this.ckpt = new Path(dir, "checkpoint/model.ckpt");
    this.ckptPrev = new Path(dir, "checkpoint/model.ckpt.prev");
    this.ckptTmp = new Path(dir, "checkpoint/model.ckpt.tmp");
    this.metricsFile = new Path(dir, "metrics.jsonl");
    this.tensorboardDir = new Path(dir, "tensorboard");
  }

  /** Opens a folder to read (evaluate, predict, export): it must hold a checkpoint. */
  public static RunFolder existing(String uri) throws IOException {
    RunFolder r = at(uri);
    if (!r.fs.exists(r.ckpt) && !r.fs.exists(r.ckptPrev)) {
      throw new IllegalArgumentException("no checkpoint in " + uri + " (expected checkpoint/model.ckpt)");
    }
    return r;
  }

  /**
   * Opens the folder for a training run: refuses one that holds a run unless resuming it or told
   * to overwrite it, and checks that it can be written.
   */
  public static RunFolder forTraining(String uri, boolean resume, boolean overwrite) throws IOException {
    RunFolder r = at(uri);
    boolean hasCheckpoint = r.fs.exists(r.ckpt) || r.fs.exists(r.ckptPrev);
    boolean finished = r.fs.exists(new Path(r.dir, "summary.json"));
    if (resume && !hasCheckpoint) {
      throw new IllegalArgumentException("resume=true but " + uri + " holds no checkpoint to resume from");
    }
    if (!resume && (hasCheckpoint || finished) && !overwrite) {
      throw new IllegalArgumentException("the run folder " + uri + " already holds a "
          + (finished ? "finished" : "started") + " run; set resume=true to continue it, overwrite=true to "
          + "replace it, or choose another out=");
    }
    try {
      r.fs.mkdirs(new Path(r.dir, "checkpoint"));
      Path probe = new Path(r.dir, ".write-test");
      r.fs.create(probe, true).close();
      r.fs.delete(probe, false);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write to the run folder " + uri + ": " + e.getMessage());
    }
    return r;
  }

  private static RunFolder at(String uri) throws IOException {
    Path dir = new Path(uri);
    FileSystem fs = dir.getFileSystem(new Configuration());
    fs.setWriteChecksum(false);
    fs.setVerifyChecksum(false);
    return new RunFolder(fs, fs.makeQualified(dir));
  }

  /**
   * Clears what an earlier run left (overwrite=true). Called only once the new run's data has been read
   * and checked, so that bad input never costs the old run.
   */
  public void clearForNewRun() throws IOException {
    for (String name : new String[] {"checkpoint", "metrics.jsonl", "summary.json", "report.html", "vocab.txt",
        "config.properties", "tensorboard"}) {
      fs.delete(new Path(dir, name), true);
    }
    fs.mkdirs(new Path(dir, "checkpoint"));
  }

  public String uri() {
    return dir.toString();
  }

  public void writeText(String name, String text) throws IOException {
    Path tmp = new Path(dir, name + ".tmp");
    writeNew(tmp, out -> out.write(text.getBytes(StandardCharsets.UTF_8)), "");
    replace(tmp, new Path(dir, name));
  }

  /** Writes what {@code body} writes into a new file at p; on failure removes it and names it, then {@code kept}. */
  private void writeNew(Path p, Body body, String kept) throws IOException {
    try (OutputStream out = fs.create(p, true)) {
      body.write(out);
    } catch (IOException | FSError e) {
      try {
        fs.delete(p, false); // frees the space a full disk needs for anything else
      } catch (IOException | FSError ignored) {
        // the write's own error is the one to report
      }
      throw failed(p, e, kept);
    }
  }

  private interface Body {
    void write(OutputStream out) throws IOException;
  }

  private interface Write {
    void run() throws IOException;
  }

  /** Runs a write to p, a failure reported by {@link #failed}. */
  private static void writing(Path p, Write w) throws IOException {
    try {
      w.run();
    } catch (IOException | FSError e) {
      throw failed(p, e, "");
    }
  }

  /**
   * A failed write to p as an IOException that names p and the cause ("No space left on device"), then
   * {@code kept}. Hadoop's local file system throws a failed write as FSError, an Error.
   */
  private static IOException failed(Path p, Throwable e, String kept) {
    Throwable cause = e instanceof FSError && e.getCause() != null ? e.getCause() : e;
    return new IOException("could not write " + p + ": " + cause.getMessage() + kept, cause);
  }

  public String readText(String name) throws IOException {
    try (InputStream in = fs.open(new Path(dir, name))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  public void writeJson(String name, Map<String, Object> value) throws IOException {
    writeText(name, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value) + "\n");
  }

  /** Deletes a folder and everything in it (a temporary run whose model has been read back). */
  public static void delete(String uri) throws IOException {
    RunFolder r = at(uri);
    r.fs.delete(r.dir, true);
  }

  /** Whether the folder holds a file or folder of this name. */
  public boolean exists(String name) throws IOException {
    return fs.exists(new Path(dir, name));
  }

  public boolean hasCheckpoint() throws IOException {
    return fs.exists(ckpt) || fs.exists(ckptPrev);
  }

  /** The newest complete checkpoint (model.ckpt, or model.ckpt.prev after a crash mid-rename). */
  public Checkpoint loadCheckpoint() throws IOException {
    Path p = fs.exists(ckpt) ? ckpt : ckptPrev;
    try (InputStream in = fs.open(p)) {
      return Checkpoint.read(in, p.toString());
    }
  }

  public void saveCheckpoint(Checkpoint c) throws IOException {
    writeNew(ckptTmp, c::write, "; the previous checkpoint is kept");
    if (fs.exists(ckpt)) {
      fs.delete(ckptPrev, false);
      fs.rename(ckpt, ckptPrev);
    }
    if (!fs.rename(ckptTmp, ckpt)) {
      throw new IOException("could not rename " + ckptTmp + " to " + ckpt);
    }
    fs.delete(ckptPrev, false);
  }

  /**
   * Starts a TensorBoard event file in tensorboard/ (a new one each time the run starts or resumes), with the
   * configuration as text at {@code step}; the metric rows appended from now on go there too, as scalars.
   */
  public void trackTensorBoard(String configText, long step) throws IOException {
    writing(tensorboardDir, () -> {
      fs.mkdirs(tensorboardDir);
      events = EventFile.create(fs, tensorboardDir, step);
      events.text("config", step, "    " + configText.replace("\n", "\n    ")); // Markdown: as written
    });
  }

  /** A Markdown text for TensorBoard's Text tab at {@code step}, where the run is tracked there. */
  public void trackText(String tag, long step, String markdown) throws IOException {
    if (events != null) {
      writing(tensorboardDir, () -> events.text(tag, step, markdown));
    }
  }

  /** Appends one JSON line to metrics.jsonl and flushes it (and the row's scalars to TensorBoard's file). */
  public void appendMetric(Map<String, Object> row) throws IOException {
    appendJson(row);
    if (events != null) {
      writing(tensorboardDir, () -> events.scalars(row));
    }
  }

  private void appendJson(Map<String, Object> row) throws IOException {
    writing(metricsFile, () -> {
      if (metrics == null) {
        metrics = fs.create(metricsFile, true);
      }
      metrics.write((JSON.writeValueAsString(row) + "\n").getBytes(StandardCharsets.UTF_8));
      metrics.hflush();
    });
  }

  /**
   * Replaces metrics.jsonl by {@code rows}, the history up to step {@code from} of a checkpoint the run went back to;
   * TensorBoard's file already holds them and is told that the run goes on from there.
   */
  public void rewriteMetrics(List<Map<String, Object>> rows, long from) throws IOException {
    closeMetrics();
    writing(metricsFile, () -> metrics = fs.create(metricsFile, true));
    for (Map<String, Object> row : rows) {
      appendJson(row);
    }
    if (events != null) {
      writing(tensorboardDir, () -> events.restart(from));
    }
  }

  /** The metric rows written so far (a resumed run keeps those up to its checkpoint's step). */
  public List<Map<String, Object>> readMetrics() throws IOException {
    List<Map<String, Object>> rows = new ArrayList<>();
    if (!fs.exists(metricsFile)) {
      return rows;
    }
    try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(metricsFile),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.isBlank()) {
          @SuppressWarnings("unchecked")
          Map<String, Object> row = JSON.readValue(line, Map.class);
          rows.add(row);
        }
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      // A line cut short by a crash ends the usable history; the rest is dropped.
    }
    return rows;
  }

  private void replace(Path tmp, Path target) throws IOException {
    fs.delete(target, false);
    if (!fs.rename(tmp, target)) {
      throw new IOException("could not rename " + tmp + " to " + target);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      closeMetrics();
    } finally {
      if (events != null) {
        EventFile e = events;
        events = null;
        writing(tensorboardDir, e::close);
      }
    }
  }

  private void closeMetrics() throws IOException {
    if (metrics != null) {
      FSDataOutputStream m = metrics;
      metrics = null;
      writing(metricsFile, m::close);
    }
  }
}
