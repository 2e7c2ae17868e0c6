package io.sparkrnn.data;

import java.util.function.Consumer;

/**
 * Splits a line on whitespace and ends it with {@code </s>}, as the Brown and PTB language-model
 * benchmarks count tokens. A blank line yields nothing (no empty sentence).
 */
public final class Tokenizer {
  private Tokenizer() {}

  /** Calls {@code sink} for every token of the line, then for {@code </s>}; returns the count. */
  public static int tokens(String line, Consumer<String> sink) {
    int n = 0;
    int i = 0;
    int len = line.length();
    while (i < len) {
      while (i < len && Character.isWhitespace(line.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < len && !Character.isWhitespace(line.charAt(i))) {
        i++;
      }
      if (i > start) {
        sink.accept(line.substring(start, i));
        n++;
      }
    }
    if (n > 0) {
      sink.accept(Vocab.EOS);
      n++;
    }
    return n;
  }
}
