package io.sparkrnn.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Word ↔ id. Id 0 is {@code </s>} (end of sentence), id 1 is {@code <unk>}; then the words seen more
 * than {@code minCount} times, most frequent first (ties in string order), at most {@code maxSize}
 * entries in all (0 = no limit). Every word outside the table reads as {@code <unk>}.
 */
public final class Vocab implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  public static final String EOS = "</s>";
  public static final String UNK = "<unk>";
  public static final int EOS_ID = 0;
  public static final int UNK_ID = 1;

  private final List<String> words;
  private final Map<String, Integer> ids;

  public Vocab(List<String> words) {
    if (words.size() < 2 || !words.get(0).equals(EOS) || !words.get(1).equals(UNK)) {
      throw new IllegalArgumentException("a vocabulary starts with " + EOS + " and " + UNK);
    }
    this.words = List.copyOf(words);
    this.ids = new HashMap<>(words.size() * 2);
    for (int i = 0; i < words.size(); i++) {
      if (ids.put(words.get(i), i) != null) {
        throw new IllegalArgumentException("the vocabulary lists '" + words.get(i) + "' twice");
      }
    }
  }

  /** The table for these word counts ({@code </s>} and {@code <unk>} in the counts are ignored). */
  public static Vocab fromCounts(Map<String, Long> counts, int minCount, int maxSize) {
    List<Map.Entry<String, Long>> kept = new ArrayList<>();
    for (Map.Entry<String, Long> e : counts.entrySet()) {
      if (e.getValue() > minCount && !e.getKey().equals(EOS) && !e.getKey().equals(UNK)) {
        kept.add(e);
      }
    }
    kept.sort((a, b) -> a.getValue().equals(b.getValue()) ? a.getKey().compareTo(b.getKey())
        : Long.compare(b.getValue(), a.getValue()));
    List<String> words = new ArrayList<>(List.of(EOS, UNK));
    for (Map.Entry<String, Long> e : kept) {
      if (maxSize > 0 && words.size() >= maxSize) {
        break;
      }
      words.add(e.getKey());
    }
    return new Vocab(words);
  }

  /**
   * Refuses a table too small to learn from: a language model needs at least two words besides
   * {@code </s>} and {@code <unk>} (with one, every prediction is trivial).
   */
  public Vocab requireTrainable(int minCount) {
    if (words.size() < 4) {
      throw new IllegalArgumentException("the vocabulary has " + (words.size() - 2) + " word(s) seen more than "
          + "vocab.minCount=" + minCount + " times; a language model needs at least 2 (lower vocab.minCount or "
          + "use a larger corpus)");
    }
    return this;
  }

  public int size() {
    return words.size();
  }

  public int id(String word) {
    return ids.getOrDefault(word, UNK_ID);
  }

  public boolean contains(String word) {
    return ids.containsKey(word);
  }

  public String word(int id) {
    return words.get(id);
  }

  public List<String> words() {
    return words;
  }
}
