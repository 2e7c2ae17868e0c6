package io.sparkrnn.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test fixtures shared by the training tests: a small patterned corpus and a tiny configuration. */
public final class Fixtures {
  private Fixtures() {}

  /** A small corpus of repeated patterns, so a tiny model learns it quickly. */
  public static Path corpus(Path dir, String name, int lines, long seed) throws IOException {
    String[] words = {"the", "cat", "sat", "on", "a", "mat", "dog", "ran", "to", "house", "big", "red"};
    io.sparkrnn.math.Rng rng = new io.sparkrnn.math.Rng(seed);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < lines; i++) {
      int start = rng.nextInt(4);
      StringBuilder s = new StringBuilder();
      for (int j = 0; j < 6; j++) {
        s.append(j == 0 ? "" : " ").append(words[(start * 3 + j) % words.length]);
      }
      out.add(s.toString());
    }
    Path p = dir.resolve(name);
    Files.write(p, out);
    return p;
  }

  /** The settings {@code a} followed by {@code more}. */
  public static String[] with(String[] a, String... more) {
    String[] out = java.util.Arrays.copyOf(a, a.length + more.length);
    System.arraycopy(more, 0, out, a.length, more.length);
    return out;
  }

  public static Config tiny(Path dir, String out, String... more) throws IOException {
    return Config.load(null, tinySettings(dir, out, more));
  }

  /** The settings of {@link #tiny} as key=value arguments (for the command line); {@code out} may be a path. */
  public static List<String> tinySettings(Path dir, String out, String... more) throws IOException {
    List<String> kv = new ArrayList<>(List.of(
        "data.train=" + corpus(dir, "train.txt", 300, 1), "data.valid=" + corpus(dir, "valid.txt", 50, 2),
        "data.test=" + corpus(dir, "test.txt", 50, 3), "vocab.minCount=0", "model.embed=8", "model.hidden=12",
        "train.bptt=5", "train.batch=4", "train.epochs=2", "train.threads=2", "log.every=10",
        "checkpoint.every=0", "optim.lr=0.01", "out=" + dir.resolve(out)));
    kv.addAll(List.of(more));
    return kv;
  }

  /**
   * A toy translation task: the source is 3 to 7 of ten words, the target the same sentence reversed, each word
   * spelled in capitals; files {@code NAME.src} and {@code NAME.tgt}.
   */
  public static Path pairs(Path dir, String name, int lines, long seed) throws IOException {
    String[] words = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"};
    io.sparkrnn.math.Rng rng = new io.sparkrnn.math.Rng(seed);
    List<String> src = new ArrayList<>();
    List<String> tgt = new ArrayList<>();
    for (int i = 0; i < lines; i++) {
      int n = 3 + rng.nextInt(5);
      List<String> s = new ArrayList<>();
      for (int j = 0; j < n; j++) {
        s.add(words[rng.nextInt(words.length)]);
      }
      src.add(String.join(" ", s));
      java.util.Collections.reverse(s);
      tgt.add(String.join(" ", s).toUpperCase(java.util.Locale.ROOT));
    }
    Files.write(dir.resolve(name + ".src"), src);
    Files.write(dir.resolve(name + ".tgt"), tgt);
    return dir.resolve(name);
  }

  /** A tiny encoder-decoder on {@link #pairs}, in-process, run folder {@code out}. */
  public static Config tinyPairs(Path dir, String out, String... more) throws IOException {
    List<String> kv = new ArrayList<>(List.of("model.family=seq2seq", "seq2seq.source=src", "seq2seq.target=tgt",
        "data.train=" + pairs(dir, "train", 400, 1), "data.valid=" + pairs(dir, "valid", 40, 2),
        "data.test=" + pairs(dir, "test", 40, 3), "vocab.minCount=0", "model.embed=8", "model.hidden=12",
        "train.batch=8", "eval.batch=8", "train.epochs=2", "train.threads=2", "log.every=10", "checkpoint.every=0",
        "optim.lr=0.01", "spark.master=none", "out=" + dir.resolve(out)));
    kv.addAll(List.of(more));
    return Config.load(null, kv);
  }

  /**
   * A text of two word classes that never share a sentence, "a ANIMAL VERB and a ANIMAL VERB" and "some FOOD is
   * COOKED": words of a class share their contexts, so their vectors should end up closer to each other than to the
   * other class's.
   */
  /** ListOps expressions of the generator as train.txt, valid.txt and test.txt under dir/listops; the folder. */
  public static Path listOps(Path dir, int train, int eval) throws IOException {
    Path folder = dir.resolve("listops");
    if (!Files.exists(folder)) {
      Files.createDirectories(folder);
      List<List<io.sparkrnn.data.Tree>> splits = io.sparkrnn.data.ListOps.generate(5, train, eval, eval);
      String[] names = {"train.txt", "valid.txt", "test.txt"};
      for (int i = 0; i < 3; i++) {
        Files.write(folder.resolve(names[i]), splits.get(i).stream().map(io.sparkrnn.data.ListOps::line).toList());
      }
    }
    return folder;
  }

  /** A small binary Tree-LSTM on 2,000 ListOps expressions, two threads. */
  public static Config tinyTrees(Path dir, String out, String... more) throws IOException {
    Path data = listOps(dir, 2000, 200);
    List<String> kv = new ArrayList<>(List.of("model.family=tree", "model.cell=treelstm",
        "data.train=" + data.resolve("train.txt"), "data.valid=" + data.resolve("valid.txt"),
        "data.test=" + data.resolve("test.txt"), "vocab.minCount=0", "model.embed=8", "model.hidden=12",
        "train.batch=32", "eval.batch=64", "train.epochs=2", "train.threads=2", "log.every=10", "checkpoint.every=0",
        "optim=adam", "optim.lr=0.01", "spark.master=none", "out=" + dir.resolve(out)));
    kv.addAll(List.of(more));
    return Config.load(null, kv);
  }

  public static Path words(Path dir, String name, int lines, long seed) throws IOException {
    String[] animals = {"cat", "dog", "cow", "horse"};
    String[] verbs = {"runs", "sleeps", "barks"};
    String[] foods = {"fish", "meat", "grass", "hay"};
    String[] cooked = {"boiled", "fried", "eaten"};
    io.sparkrnn.math.Rng rng = new io.sparkrnn.math.Rng(seed);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < lines; i++) {
      out.add(i % 2 == 0
          ? "a " + animals[rng.nextInt(4)] + " " + verbs[rng.nextInt(3)] + " and a " + animals[rng.nextInt(4)] + " "
              + verbs[rng.nextInt(3)]
          : "some " + foods[rng.nextInt(4)] + " is " + cooked[rng.nextInt(3)]);
    }
    Path p = dir.resolve(name);
    Files.write(p, out);
    return p;
  }

  /** A tiny word2vec run on {@link #words}, in-process, run folder {@code out}. */
  public static Config tinyWords(Path dir, String out, String... more) throws IOException {
    List<String> kv = new ArrayList<>(List.of("model.family=word2vec", "data.train=" + words(dir, "w.train", 600, 1),
        "data.valid=" + words(dir, "w.valid", 40, 2), "data.test=" + words(dir, "w.test", 40, 3), "vocab.minCount=0",
        "model.embed=10", "word2vec.window=2", "word2vec.negative=3", "word2vec.sample=0.05", "word2vec.lanes=4",
        "word2vec.syncWords=40", "word2vec.lr=0.05", "eval.batch=2", "train.epochs=3", "train.threads=2",
        "log.every=10", "checkpoint.every=0", "spark.master=none", "out=" + dir.resolve(out)));
    kv.addAll(List.of(more));
    return Config.load(null, kv);
  }
}
