package io.sparkrnn.word2vec;

import io.sparkrnn.data.IntList;
import io.sparkrnn.math.Counters;
import io.sparkrnn.math.Kernels;

/**
 * Trains one step's chunk of some lanes of a text, word after word, with the C tool's SGD on copies of the rows it
 * touches ({@link RowOverlay}), and counts how often each row moved. Every random draw is a hash of (seed, pass, position of the word
 * in the whole text, draw), so the lanes give the same draws whichever shard or partition holds them:
 * <ul>
 *   <li>subsampling: an occurrence is kept with probability {@link Sampling#keep}; the kept words of a lane, in
 *       order, are what the windows run over (a window spans kept words, as the C tool's does);
 *   <li>the dynamic window: w − b words each side of the centre, b uniform in [0, w), never across a boundary;
 *   <li>the negatives: {@code negative} noise words per update, a draw equal to the positive word skipped.
 * </ul>
 * Skip-gram updates each context word's input vector against the centre word; CBOW updates the mean of the
 * context's input vectors against it and adds the same correction to each of them.
 */
public final class ChunkTrainer {
  /** The learning rate at a point of the run, in steps (step + the share of its chunk done). */
  public interface Rate {
    float at(double progress);
  }

  private final Word2VecSpec spec;
  private final Sampling sampling;
  private final Word2VecText text;
  private final int first;
  private final int count;
  private final long seed;
  private final float[] h;
  private final float[] hGrad;
  private final int[] targets;
  private final int[] context;
  private final float[] scratch = Kernels.dotScratch();
  private final int[] rowAt; // where the target rows of an update start in the table it reads
  private final RowOverlay overlay;
  private float[] params; // of the current run
  private boolean training;
  private long keptKey;
  private int[][] kept; // per lane: indices of the kept words
  private int[][] sentence; // per lane: the sentence of each kept word
  /** Of the last {@link #run}: summed loss and the updates (input vectors against a target set) it made. */
  private double loss;
  private long pairs;

  /** Lanes [first, first + count) of {@code text}. */
  public ChunkTrainer(Word2VecSpec spec, Sampling sampling, Word2VecText text, int first, int count, long seed) {
    this.spec = spec;
    this.sampling = sampling;
    this.text = text;
    this.first = first;
    this.count = count;
    this.seed = seed;
    this.h = new float[spec.dim()];
    this.hGrad = new float[spec.dim()];
    this.targets = new int[spec.negative() + 1];
    this.context = new int[2 * spec.window()];
    this.rowAt = new int[spec.negative() + 1];
    this.overlay = new RowOverlay(spec.rows(), spec.dim());
  }

  public double loss() {
    return loss;
  }

  public long pairs() {
    return pairs;
  }

  /**
   * Batch step mod batches of pass step / batches. With {@code train}, trains the rows it touches at the rate
   * {@code rate} gives, on copies of them ({@link #moved}); {@code params} stays as it is. Without, only scores
   * the chunk: every word, no update (an evaluation).
   */
  public void run(float[] params, long step, Rate rate, boolean train) {
    this.params = params;
    this.training = train;
    overlay.reset(params);
    int b = (int) (step % text.batches());
    long passKey = Counters.key(Counters.mix(seed), train ? step / text.batches() : -1);
    keep(passKey, train && spec.sample() > 0);
    loss = 0;
    pairs = 0;
    int chunk = text.chunk();
    for (int l = 0; l < count; l++) {
      int start = text.laneStart(first + l) + b * chunk;
      int end = Math.min(text.laneEnd(first + l), start + chunk);
      int[] idx = kept[l];
      for (int j = lowerBound(idx, start); j < idx.length && idx[j] < end; j++) {
        int i = idx[j];
        long key = Counters.key(passKey, text.position(i));
        float alpha = train ? rate.at(step + (i - start) / (double) chunk) : 0f;
        int n = contexts(idx, sentence[l], j, (int) (Counters.uniform(key, 1) * spec.window()));
        if (spec.cbow()) {
          cbow(text.token(i), n, key, alpha);
        } else {
          for (int c = 0; c < n; c++) {
            skipGram(text.token(i), context[c], c, key, alpha);
          }
        }
      }
    }
  }

  /** The rows the last training {@link #run} moved, with their new values and how many updates each had. */
  public RowOverlay moved() {
    return overlay;
  }

  /** Where model row {@code row} starts in the table the updates read: the copies when training, else params. */
  private int at(int row) {
    return training ? overlay.at(row) : row * spec.dim();
  }

  private float[] table() {
    return training ? overlay.table() : params;
  }

  /** The kept words of every lane for this pass (all of them without subsampling). */
  private void keep(long passKey, boolean subsample) {
    long key = subsample ? passKey : 0;
    if (kept != null && keptKey == key) {
      return;
    }
    kept = new int[count][];
    sentence = new int[count][];
    for (int l = 0; l < count; l++) {
      IntList idx = new IntList();
      IntList sent = new IntList();
      int s = 0;
      for (int i = text.laneStart(first + l); i < text.laneEnd(first + l); i++) {
        int t = text.token(i);
        if (t == Word2VecText.BOUNDARY) {
          s++;
        } else if (!subsample || Counters.uniform(Counters.key(passKey, text.position(i)), 0) < sampling.keep(t)) {
          idx.add(i);
          sent.add(s);
        }
      }
      kept[l] = idx.toArray();
      sentence[l] = sent.toArray();
    }
    keptKey = key;
  }

  /** The words of centre j's window (w − shrink kept words each side, same sentence) into context; how many. */
  private int contexts(int[] idx, int[] sent, int j, int shrink) {
    int w = spec.window() - shrink;
    int n = 0;
    for (int k = Math.max(0, j - w); k <= Math.min(idx.length - 1, j + w); k++) {
      if (k != j && sent[k] == sent[j]) {
        context[n++] = text.token(idx[k]);
      }
    }
    return n;
  }

  /** The positive word and the negatives of update {@code c} of this centre into targets; how many. */
  private int targets(int word, int c, long key) {
    targets[0] = word;
    int n = 1;
    for (int d = 0; d < spec.negative(); d++) {
      int t = sampling.noise(Counters.bits(key, 2 + (long) c * spec.negative() + d));
      if (t != word) {
        targets[n++] = t;
      }
    }
    return n;
  }

  private void skipGram(int word, int in, int c, long key, float alpha) {
    int n = targets(word, c, key);
    int row = at(in);
    resolveTargets(n);
    float[] table = table();
    System.arraycopy(table, row, h, 0, h.length);
    java.util.Arrays.fill(hGrad, 0f);
    loss += NegativeSampling.step(table, rowAt, n, h, h.length, alpha, hGrad, scratch);
    pairs++;
    if (training) {
      Kernels.axpy(1f, hGrad, 0, table, row, h.length);
      overlay.count(in);
      countTargets(n);
    }
  }

  private void cbow(int word, int n, long key, float alpha) {
    if (n == 0) {
      return;
    }
    int dim = spec.dim();
    int m = targets(word, 0, key);
    for (int c = 0; c < n; c++) {
      at(context[c]);
    }
    resolveTargets(m);
    float[] table = table();
    java.util.Arrays.fill(h, 0f);
    for (int c = 0; c < n; c++) {
      Kernels.axpy(1f, table, at(context[c]), h, 0, dim);
    }
    Kernels.scale(h, 0, dim, 1f / n);
    java.util.Arrays.fill(hGrad, 0f);
    loss += NegativeSampling.step(table, rowAt, m, h, dim, alpha, hGrad, scratch);
    pairs++;
    if (training) {
      for (int c = 0; c < n; c++) {
        Kernels.axpy(1f, hGrad, 0, table, at(context[c]), dim);
        overlay.count(context[c]);
      }
      countTargets(m);
    }
  }

  /** Where the output rows of targets[0, n) start, in rowAt. */
  private void resolveTargets(int n) {
    for (int d = 0; d < n; d++) {
      rowAt[d] = at(spec.outputRow(targets[d]));
    }
  }

  private void countTargets(int n) {
    for (int d = 0; d < n; d++) {
      overlay.count(spec.outputRow(targets[d]));
    }
  }

  /** The first k with idx[k] >= value (idx ascending). */
  private static int lowerBound(int[] idx, int value) {
    int lo = 0;
    int hi = idx.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (idx[mid] < value) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
