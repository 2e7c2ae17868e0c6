package io.sparkrnn.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A parallel corpus as two lists of lines, line i of one the translation of line i of the other, tokenised as
 * the language model's text is ({@link Tokenizer}: whitespace, {@code </s>} at the end).
 */
public final class ParallelText {
  private ParallelText() {}

  /**
   * Pairs in batches, how many pairs were left out (an empty side, or a side above maxLength tokens), and the
   * words of the kept pairs (without {@code </s>}) on each side and how many of them read as {@code <unk>}.
   */
  public record Read(PairBatches batches, int dropped, long[] words, long[] unknown) {
    /** "18.5 % / 24.3 %": the unknown share of the source and the target words. */
    public String unknownShares() {
      return String.format("%.1f %% / %.1f %%", 100.0 * unknown[0] / Math.max(1, words[0]),
          100.0 * unknown[1] / Math.max(1, words[1]));
    }
  }

  /** Word counts of one side. */
  public static Map<String, Long> count(List<String> lines) {
    Map<String, Long> counts = new HashMap<>();
    for (String line : lines) {
      Tokenizer.tokens(line, w -> counts.merge(w, 1L, Long::sum));
    }
    return counts;
  }

  /** The ids of every token of the lines, {@code </s>} after each (as {@link Corpus#ids} reads a file). */
  public static int[] ids(List<String> lines, Vocab vocab) {
    IntList ids = new IntList();
    for (String line : lines) {
      Tokenizer.tokens(line, w -> ids.add(vocab.id(w)));
    }
    return ids.toArray();
  }

  /** The ids of one line, {@code </s>} at the end (none for a blank line). */
  public static int[] ids(String line, Vocab vocab) {
    IntList ids = new IntList();
    Tokenizer.tokens(line, w -> ids.add(vocab.id(w)));
    return ids.toArray();
  }

  /**
   * The pairs of {@code source} and {@code target} (named {@code what} in errors) as batches of {@code lanes}
   * pairs (see {@link PairBatches#of}); {@code maxLength} 0 keeps every length.
   */
  public static Read batches(String what, List<String> source, List<String> target, Vocab sourceVocab,
      Vocab targetVocab, int lanes, int maxLength, boolean shuffle, long seed) {
    if (source.size() != target.size()) {
      throw new IllegalArgumentException(what + ": the source file has " + source.size() + " lines but the target"
          + " file " + target.size() + "; line i of one must be the translation of line i of the other");
    }
    List<int[]> src = new ArrayList<>();
    List<int[]> tgt = new ArrayList<>();
    int dropped = 0;
    long[] words = new long[2];
    long[] unknown = new long[2];
    for (int i = 0; i < source.size(); i++) {
      int[] s = ids(source.get(i), sourceVocab);
      int[] t = ids(target.get(i), targetVocab);
      if (s.length == 0 || t.length == 0 || (maxLength > 0 && Math.max(s.length, t.length) > maxLength)) {
        dropped++;
      } else {
        src.add(s);
        tgt.add(t);
        count(s, 0, words, unknown);
        count(t, 1, words, unknown);
      }
    }
    if (src.isEmpty()) {
      throw new IllegalArgumentException(what + " holds no sentence pair with both sides non-empty"
          + (maxLength > 0 ? " and at most seq2seq.maxLength=" + maxLength + " tokens" : ""));
    }
    return new Read(PairBatches.of(src, tgt, lanes, shuffle, seed), dropped, words, unknown);
  }

  private static void count(int[] ids, int side, long[] words, long[] unknown) {
    words[side] += ids.length - 1;
    for (int id : ids) {
      unknown[side] += id == Vocab.UNK_ID ? 1 : 0;
    }
  }
}
