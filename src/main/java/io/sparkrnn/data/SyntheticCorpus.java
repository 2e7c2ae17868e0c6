package io.sparkrnn.data;

import io.sparkrnn.math.Rng;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * A large corpus sampled from a generative model fitted on a text, with a known entropy floor.
 *
 * <p>The model: a bigram over the text's word types and {@code </s>} (which ends a line), interpolated with the
 * unigram by Witten-Bell, p(w | v) = λ_v·c(v, w)/c(v) + (1 − λ_v)·c(w)/N with λ_v = c(v)/(c(v) + T(v)), T(v) the
 * distinct words seen after v; then every word type is written as one of {@link #VARIANTS} spellings (w, w_2,
 * w_3, w_4) drawn independently of the context with probabilities {@link #VARIANT_P}, which multiplies the
 * vocabulary (Brown's 46,187 training types become up to 184,748) with a Zipf-like tail. The next word depends on
 * the previous word's type only, not on its spelling.
 *
 * <p>The floor: every token's −log p under this generator, given everything before it, is added up while
 * sampling; their mean is the cross-entropy of the generator on the text it wrote, which no model can beat in
 * expectation (the generator is the true distribution), so exp of it is the lowest perplexity any model can
 * reach on that text (to within sampling noise). A line never ends where it starts (a reader would skip an empty
 * line), so the first word of a line is drawn from p(w | </s>, w ≠ </s>). File f is sampled from its own
 * generator seeded by (seed, f), starting after a {@code </s>}: the output depends on the seed and the file count
 * only, not on the threads.
 */
public final class SyntheticCorpus {
  static final int VARIANTS = 4;
  static final double[] VARIANT_P = {0.9, 0.1 * 6 / 11, 0.1 * 3 / 11, 0.1 * 2 / 11}; // 1, 1/2, 1/3 of the rest

  private final String[] words; // type id -> spelling; id 0 is </s>
  private final long[] unigramCum; // cumulative counts over types
  private final long total;
  private final int[][] followers; // per type: the types seen after it, ascending
  private final long[][] followerCum; // per type: cumulative counts over its followers
  private final double[] lambda;

  private SyntheticCorpus(String[] words, long[] unigram, Map<Long, Long> pairs) {
    this.words = words;
    int n = words.length;
    this.unigramCum = cumulative(unigram);
    this.total = unigramCum[n - 1];
    List<List<long[]>> byPrev = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byPrev.add(new ArrayList<>());
    }
    pairs.forEach((k, c) -> byPrev.get((int) (k >>> 32)).add(new long[] {k & 0xffffffffL, c}));
    this.followers = new int[n][];
    this.followerCum = new long[n][];
    this.lambda = new double[n];
    for (int v = 0; v < n; v++) {
      List<long[]> f = byPrev.get(v);
      f.sort((a, b) -> Long.compare(a[0], b[0]));
      followers[v] = f.stream().mapToInt(a -> (int) a[0]).toArray();
      followerCum[v] = cumulative(f.stream().mapToLong(a -> a[1]).toArray());
      long cv = followerCum[v].length == 0 ? 0 : followerCum[v][followerCum[v].length - 1];
      lambda[v] = cv == 0 ? 0 : (double) cv / (cv + followers[v].length);
    }
  }

  /** The model fitted on a text of whitespace-separated tokens, one sentence per line. */
  public static SyntheticCorpus fit(Path text) throws IOException {
    Map<String, Integer> ids = new HashMap<>();
    List<String> words = new ArrayList<>(List.of(Vocab.EOS));
    ids.put(Vocab.EOS, 0);
    List<Long> unigram = new ArrayList<>(List.of(0L));
    Map<Long, Long> pairs = new HashMap<>();
    int[] prev = {0};
    for (String line : Files.readAllLines(text, StandardCharsets.UTF_8)) {
      // The readers' tokenizer, so that the types and the token count are what a reader of the output sees.
      Tokenizer.tokens(line, token -> {
        int id = ids.computeIfAbsent(token, w -> {
          words.add(w);
          unigram.add(0L);
          return words.size() - 1;
        });
        unigram.set(id, unigram.get(id) + 1);
        pairs.merge(((long) prev[0] << 32) | id, 1L, Long::sum);
        prev[0] = id;
      });
    }
    if (words.size() < 2) {
      throw new IllegalArgumentException("the text " + text + " holds no tokens to fit a corpus generator on");
    }
    return new SyntheticCorpus(words.toArray(String[]::new), unigram.stream().mapToLong(Long::longValue).toArray(),
        pairs);
  }

  /** Word types of the fitted text, {@code </s>} included. */
  public int types() {
    return words.length;
  }

  /**
   * −log p of {@code token} after a line that so far ends with type {@code prev} (0: the line is empty), as
   * {@link #write} counts it; returns the token's type through type[0]. For checking a written file.
   */
  double nats(int prev, String token, boolean lineStart, int[] type) {
    int variant = 0;
    String base = token;
    if (token.matches(".*_[2-" + VARIANTS + "]")) {
      variant = token.charAt(token.length() - 1) - '1';
      base = token.substring(0, token.length() - 2);
    }
    int w = Arrays.asList(words).indexOf(base);
    type[0] = w;
    return -Math.log(probability(prev, w, lineStart)) - (w == 0 ? 0 : Math.log(VARIANT_P[variant]));
  }

  /** p(w | v) as written: at a line's start (v = </s>) the line cannot end, so p(w | </s>, w ≠ </s>). */
  private double probability(int v, int w, boolean lineStart) {
    return lineStart ? probability(0, w) / (1 - probability(0, 0)) : probability(v, w);
  }

  /** p(w | v) of the bigram (types). */
  double probability(int v, int w) {
    long uni = unigramCum[w] - (w == 0 ? 0 : unigramCum[w - 1]);
    double p = (1 - lambda[v]) * uni / total;
    int at = Arrays.binarySearch(followers[v], w);
    if (at >= 0) {
      long cv = followerCum[v][followerCum[v].length - 1];
      p += lambda[v] * (followerCum[v][at] - (at == 0 ? 0 : followerCum[v][at - 1])) / cv;
    }
    return p;
  }

  private int next(int v, Rng rng) {
    if (rng.nextDouble() < lambda[v]) {
      long[] cum = followerCum[v];
      return followers[v][pick(cum, rng.nextDouble() * cum[cum.length - 1])];
    }
    return pick(unigramCum, rng.nextDouble() * total);
  }

  /** What {@link #write} wrote: tokens ({@code </s>} counted as one) and the sum of their −log p. */
  private record Written(long tokens, double nll) {}

  /** Writes at least {@code tokens} tokens of file f, up to the end of the line the last one is in. */
  private Written write(Path file, long tokens, long seed, int f) throws IOException {
    Rng rng = new Rng(seed * 1_000_003L + f);
    double nll = 0;
    long t = 0;
    try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(
        new GZIPOutputStream(Files.newOutputStream(file), 1 << 16), StandardCharsets.UTF_8), 1 << 16)) {
      int prev = 0;
      boolean lineStart = true;
      for (; t < tokens || !lineStart; t++) {
        int w = next(prev, rng);
        while (lineStart && w == 0) { // no empty lines (a reader skips them): p(w | start, w ≠ </s>)
          w = next(prev, rng);
        }
        nll -= Math.log(probability(prev, w, lineStart));
        if (w == 0) {
          out.write('\n');
          lineStart = true;
        } else {
          double u = rng.nextDouble();
          int variant = 0;
          while (variant < VARIANTS - 1 && u >= VARIANT_P[variant]) {
            u -= VARIANT_P[variant++];
          }
          nll -= Math.log(VARIANT_P[variant]);
          if (!lineStart) {
            out.write(' ');
          }
          out.write(words[w]);
          if (variant > 0) {
            out.write("_" + (variant + 1));
          }
          lineStart = false;
        }
        prev = w;
      }
    }
    return new Written(t, nll);
  }

  /** What {@link #generate} wrote: tokens in all, files, and the entropy floor in nats per token. */
  public record Summary(long tokens, int files, double natsPerToken) {
    public double floorPerplexity() {
      return Math.exp(natsPerToken);
    }
  }

  /**
   * Writes about {@code tokens} tokens as {@code files} gzip files part-00000.txt.gz, ... into {@code dir} (each
   * file ends at a line end, so it may run a few tokens over its share), on {@code threads} threads.
   */
  public Summary generate(Path dir, long tokens, int files, long seed, int threads) throws Exception {
    if (tokens <= 0 || files <= 0) {
      throw new IllegalArgumentException("a corpus needs a positive number of tokens and files, not " + tokens
          + " tokens in " + files + " files");
    }
    Files.createDirectories(dir);
    Written[] written = new Written[files];
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      List<java.util.concurrent.Future<?>> jobs = new ArrayList<>();
      for (int f = 0; f < files; f++) {
        int file = f;
        long share = tokens / files + (f < tokens % files ? 1 : 0);
        jobs.add(pool.submit(() -> {
          written[file] = write(dir.resolve(String.format("part-%05d.txt.gz", file)), share, seed, file);
          return null;
        }));
      }
      for (java.util.concurrent.Future<?> j : jobs) {
        j.get();
      }
    } finally {
      pool.shutdownNow();
    }
    long all = Arrays.stream(written).mapToLong(Written::tokens).sum();
    return new Summary(all, files, Arrays.stream(written).mapToDouble(Written::nll).sum() / all);
  }

  private static long[] cumulative(long[] counts) {
    long[] c = new long[counts.length];
    long s = 0;
    for (int i = 0; i < counts.length; i++) {
      s += counts[i];
      c[i] = s;
    }
    return c;
  }

  /** The first index whose cumulative count exceeds x. */
  private static int pick(long[] cum, double x) {
    int lo = 0;
    int hi = cum.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cum[mid] > x) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }
}
