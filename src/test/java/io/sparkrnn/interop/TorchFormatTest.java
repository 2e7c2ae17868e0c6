package io.sparkrnn.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sparkrnn.train.Checkpoint;
import io.sparkrnn.train.Fixtures;
import io.sparkrnn.train.LocalTraining;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorchFormatTest {
  @TempDir
  Path dir;

  private Checkpoint trained(String... settings) throws Exception {
    LocalTraining.run(Fixtures.tiny(dir, "run", settings));
    try (InputStream in = Files.newInputStream(dir.resolve("run/checkpoint/model.ckpt"))) {
      return Checkpoint.read(in, "model.ckpt");
    }
  }

  @Test
  void exportThenImportGivesBackTheSameModelBitForBit() throws Exception {
    Checkpoint ck = trained("train.maxSteps=3", "model.layers=2", "model.cell=gru");
    TorchFormat.export(ck, dir.resolve("export"));
    Checkpoint back = TorchFormat.importModel(dir.resolve("export"));
    assertEquals(ck.spec(), back.spec());
    assertEquals(ck.vocab(), back.vocab());
    assertArrayEquals(ck.params(), back.params());
  }

  @Test
  void anAdaptiveSoftmaxExportsWithPytorchNamesAndComesBackBitForBit() throws Exception {
    Checkpoint ck = trained("train.maxSteps=3", "model.softmax=adaptive", "model.cutoffs=4,8", "model.tailDiv=2");
    TorchFormat.export(ck, dir.resolve("export"));
    Checkpoint back = TorchFormat.importModel(dir.resolve("export"));
    assertEquals(ck.spec(), back.spec());
    assertArrayEquals(ck.params(), back.params());
    try (InputStream in = Files.newInputStream(dir.resolve("export/model.npz"))) {
      assertEquals(java.util.Set.of("emb.weight", "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0",
          "rnn.bias_hh_l0", "out.head.weight", "out.head.bias", "out.tail.0.0.weight", "out.tail.0.1.weight",
          "out.tail.1.0.weight", "out.tail.1.1.weight"), Npz.read(in, "model.npz").keySet());
    }
  }

  @Test
  void peepholeModelsAreRefusedWithAReason() throws Exception {
    Checkpoint ck = trained("train.maxSteps=1", "model.peephole=true");
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> TorchFormat.export(ck, dir.resolve("export")));
    assertTrue(e.getMessage().contains("peephole"), e.getMessage());
  }

  /** NumPy itself reads the file: names, shapes, dtype and values, not only our own reader. */
  @Test
  void numpyLoadsTheNpzWithPytorchNamesAndShapes() throws Exception {
    String python = pythonWithNumpy();
    assumeTrue(python != null, "no python3 with numpy on this machine (apt-get install python3-numpy)");
    Checkpoint ck = trained("train.maxSteps=2");
    TorchFormat.export(ck, dir.resolve("export"));
    String script = String.join("\n",
        "import numpy as np, sys",
        "z = np.load(sys.argv[1])",
        "for k in sorted(z.files): print(k, z[k].dtype, z[k].shape, repr(float(z[k].flat[1])))");
    Process p = new ProcessBuilder(python, "-c", script, dir.resolve("export/model.npz").toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    int v = ck.spec().vocab();
    int h = ck.spec().hidden();
    int e = ck.spec().embed();
    float[] params = ck.params();
    for (String line : List.of(
        "emb.weight float32 (" + v + ", " + e + ") " + (double) params[1],
        "out.bias float32 (" + v + ",)",
        "out.weight float32 (" + v + ", " + h + ")",
        "rnn.bias_hh_l0 float32 (" + 4 * h + ",)",
        "rnn.bias_ih_l0 float32 (" + 4 * h + ",)",
        "rnn.weight_hh_l0 float32 (" + 4 * h + ", " + h + ")",
        "rnn.weight_ih_l0 float32 (" + 4 * h + ", " + e + ")")) {
      assertTrue(out.contains(line), "numpy printed:\n" + out + "\nexpected a line starting: " + line);
    }
  }

  /** PyTorch loads the export with load_state_dict and finds the perplexity this project finds. */
  @Test
  void pytorchLoadsTheExportAndGetsTheSamePerplexity() throws Exception {
    pytorchGetsTheSamePerplexity("train.maxSteps=30", "model.cell=lstm", "model.layers=2");
  }

  /** The same with the adaptive softmax, loaded into nn.AdaptiveLogSoftmaxWithLoss. */
  @Test
  void pytorchLoadsAnAdaptiveSoftmaxAndGetsTheSamePerplexity() throws Exception {
    pytorchGetsTheSamePerplexity("train.maxSteps=30", "model.softmax=adaptive", "model.cutoffs=4,8",
        "model.tailDiv=2");
  }

  /** Tied to the embedding: out.weight = emb.weight in PyTorch, behind a bias-free projection when E ≠ H. */
  @Test
  void pytorchLoadsTiedModelsAndGetsTheSamePerplexity() throws Exception {
    pytorchGetsTheSamePerplexity("train.maxSteps=30", "model.tie=true", "model.embed=12");
    pytorchGetsTheSamePerplexity("train.maxSteps=30", "model.tie=true", "model.layers=2", "overwrite=true");
  }

  private void pytorchGetsTheSamePerplexity(String... settings) throws Exception {
    String python = pythonWith("torch");
    assumeTrue(python != null, "no python3 with torch on this machine (apt-get install python3-torch)");
    Checkpoint ck = trained(settings);
    TorchFormat.export(ck, dir.resolve("export"));
    Path text = dir.resolve("valid.txt");
    io.sparkrnn.train.StepBackend.Evaluation ours;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(1);
    try {
      ours = io.sparkrnn.train.Evaluator.evaluate(new io.sparkrnn.nn.LanguageModel(ck.spec()), ck.params(),
          io.sparkrnn.data.Corpus.ids(text, new io.sparkrnn.data.Vocab(ck.vocab())), 1, 35, 1, pool);
    } finally {
      pool.shutdownNow();
    }
    Process p = new ProcessBuilder(python, "jobs/pytorch_perplexity.py", dir.resolve("export").toString(),
        text.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"tokens\": (\\d+), \"perplexity\": ([0-9.eE+-]+)")
        .matcher(out);
    assertTrue(m.find(), out);
    assertEquals(ours.tokens(), Long.parseLong(m.group(1)));
    assertEquals(ours.perplexity(), Double.parseDouble(m.group(2)), 1e-4 * ours.perplexity());
  }

  /**
   * jobs/pytorch_seq2seq.py builds the encoder-decoder in PyTorch from an export and finds this project's loss on
   * the validation pairs: LSTM with general attention and a bidirectional encoder; GRU with additive attention,
   * 2 + 2 layers; LSTM with dot attention and a unidirectional encoder.
   */
  @Test
  void pytorchLoadsAnEncoderDecoderAndGetsTheSameLoss() throws Exception {
    String python = pythonWith("torch");
    assumeTrue(python != null, "no python3 with torch on this machine (apt-get install python3-torch)");
    String[][] models = {{"train.maxSteps=30"},
        {"train.maxSteps=30", "model.cell=gru", "seq2seq.attention=additive", "seq2seq.encoderLayers=2",
            "seq2seq.decoderLayers=2", "seq2seq.attnSize=7"},
        {"train.maxSteps=30", "seq2seq.attention=dot", "seq2seq.bidirectional=false"}};
    for (String[] settings : models) {
      String name = String.join("-", settings).replaceAll("\\W", "");
      io.sparkrnn.train.TrainLoop.Result ours = LocalTraining.run(Fixtures.tinyPairs(dir, name, settings));
      Checkpoint ck;
      try (InputStream in = Files.newInputStream(dir.resolve(name + "/checkpoint/model.ckpt"))) {
        ck = Checkpoint.read(in, "model.ckpt");
      }
      assertEquals(List.of("model.npz", "vocab.source.txt", "vocab.target.txt", "spec.json"),
          TorchFormat.export(ck, dir.resolve(name + "-export")));
      Process p = new ProcessBuilder(python, "jobs/pytorch_seq2seq.py", "loss", "--model",
          dir.resolve(name + "-export").toString(), "--data", dir.resolve("valid").toString(), "--source", "src",
          "--target", "tgt").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      assertTrue(p.waitFor(120, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue(), out);
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"ppl\": ([0-9.eE+-]+)").matcher(out);
      assertTrue(m.find(), out);
      assertEquals(ours.validPpl(), Double.parseDouble(m.group(1)), 1e-5 * ours.validPpl(), String.join(" ",
          settings));
    }
  }

  private static String pythonWithNumpy() {
    return pythonWith("numpy");
  }

  private static String pythonWith(String module) {
    for (String py : List.of("python3", "/usr/bin/python3")) {
      try {
        Process p = new ProcessBuilder(py, "-c", "import " + module).redirectErrorStream(true).start();
        if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return py;
        }
      } catch (Exception ignored) {
        // try the next one
      }
    }
    return null;
  }
}
