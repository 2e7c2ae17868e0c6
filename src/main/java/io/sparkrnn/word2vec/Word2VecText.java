package io.sparkrnn.word2vec;

import io.sparkrnn.data.Lanes;
import io.sparkrnn.data.Vocab;
import java.util.Arrays;

/**
 * A training text for word2vec: the ids of its words with the line ends as sentence boundaries (a window never
 * crosses one) and the unknown words left out, as the C tool reads a text. The text is cut into {@code lanes}
 * contiguous lanes, the examples of the training core: a step trains the next {@code chunk} words of every lane,
 * so batch b of a pass is words [b·chunk, (b+1)·chunk) of each lane. Every word keeps its position in the whole
 * text, which keys its random draws, so a partition holding some of the lanes draws what the whole text does.
 */
public final class Word2VecText implements Lanes {
  private static final long serialVersionUID = 1L;
  /** A sentence boundary in {@link #tokens}. */
  public static final int BOUNDARY = -1;
  private final int[] tokens;
  private final int[] bounds; // lane i: tokens[bounds[i], bounds[i + 1])
  private final long offset; // position of tokens[0] in the whole text
  private final int chunk;
  private final int batches;

  private Word2VecText(int[] tokens, int[] bounds, long offset, int chunk, int batches) {
    this.tokens = tokens;
    this.bounds = bounds;
    this.offset = offset;
    this.chunk = chunk;
    this.batches = batches;
  }

  /** The text of {@code ids} (as {@code Corpus.ids} reads it: {@code </s>} after each line) in lanes. */
  public static Word2VecText of(String what, int[] ids, int lanes, int chunk) {
    int[] tokens = new int[ids.length];
    int n = 0;
    int words = 0;
    for (int id : ids) {
      if (id == Vocab.EOS_ID) {
        tokens[n++] = BOUNDARY;
      } else if (id != Vocab.UNK_ID) {
        tokens[n++] = id;
        words++;
      }
    }
    if (words < lanes) {
      throw new IllegalArgumentException(what + " has " + words + " words of the vocabulary, too few for "
          + lanes + " lanes; lower word2vec.lanes");
    }
    int[] bounds = new int[lanes + 1];
    int longest = 0;
    for (int i = 1; i <= lanes; i++) {
      bounds[i] = (int) ((long) i * n / lanes);
      longest = Math.max(longest, bounds[i] - bounds[i - 1]);
    }
    return new Word2VecText(Arrays.copyOf(tokens, n), bounds, 0, chunk, (longest + chunk - 1) / chunk);
  }

  /** Lanes [first, first + count) alone, for one partition; positions and batches stay those of the whole. */
  @Override
  public Word2VecText keepLanes(int first, int count) {
    int from = bounds[first];
    int[] b = new int[count + 1];
    for (int i = 0; i <= count; i++) {
      b[i] = bounds[first + i] - from;
    }
    return new Word2VecText(Arrays.copyOfRange(tokens, from, bounds[first + count]), b, offset + from, chunk,
        batches);
  }

  @Override
  public int lanes() {
    return bounds.length - 1;
  }

  /** Words of the vocabulary in these lanes. */
  @Override
  public long tokens() {
    long n = 0;
    for (int t : tokens) {
      n += t >= 0 ? 1 : 0;
    }
    return n;
  }

  /** Steps in one pass: the longest lane's length in chunks. */
  @Override
  public int batches() {
    return batches;
  }

  /** Words (and boundaries) each lane trains per step. */
  public int chunk() {
    return chunk;
  }

  public int laneStart(int lane) {
    return bounds[lane];
  }

  public int laneEnd(int lane) {
    return bounds[lane + 1];
  }

  /** A word id, or {@link #BOUNDARY}. */
  public int token(int i) {
    return tokens[i];
  }

  /** Where token i is in the whole text. */
  public long position(int i) {
    return offset + i;
  }

  /** Occurrences of every id (boundaries not counted). */
  public long[] counts(int vocab) {
    long[] c = new long[vocab];
    for (int t : tokens) {
      if (t >= 0) {
        c[t]++;
      }
    }
    return c;
  }
}
