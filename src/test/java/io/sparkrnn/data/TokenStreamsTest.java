package io.sparkrnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenStreamsTest {
  @Test
  void everyTransitionIsPredictedExactlyOnce() {
    int[] tokens = new int[23];
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = i;
    }
    TokenStreams s = TokenStreams.of(tokens, 4); // L = ceil(22/4) = 6
    assertEquals(6, s.length());
    List<String> pairs = new ArrayList<>();
    int bptt = 4;
    for (int w = 0; w < s.windows(bptt); w++) {
      int steps = s.steps(w, bptt);
      int[] in = new int[steps * 4];
      int[] out = new int[steps * 4];
      s.window(w, bptt, in, out);
      for (int i = 0; i < in.length; i++) {
        if (out[i] >= 0) {
          pairs.add(in[i] + ">" + out[i]);
        }
      }
    }
    assertEquals(22, pairs.size());
    for (int i = 0; i < 22; i++) {
      assertEquals(true, pairs.contains(i + ">" + (i + 1)), "transition " + i);
    }
  }

  /** Ids packed in as few bits as the largest needs (1, 18 and 31 bits here) come back as they went in. */
  @Test
  void packedIdsReadBackExactly() {
    java.util.Random rng = new java.util.Random(5);
    for (int max : new int[] {0, 147_133, Integer.MAX_VALUE - 1}) {
      int[] tokens = new int[1_001];
      for (int i = 0; i < tokens.length; i++) {
        tokens[i] = i == 17 ? max : rng.nextInt(max + 1);
      }
      int streams = 7;
      TokenStreams s = TokenStreams.of(tokens, streams); // L = 143, the last stream ends early: -1 padding
      int bptt = 10;
      for (int w = 0; w < s.windows(bptt); w++) {
        int steps = s.steps(w, bptt);
        int[] in = new int[steps * streams];
        int[] out = new int[steps * streams];
        s.window(w, bptt, in, out);
        for (int t = 0; t < steps; t++) {
          for (int b = 0; b < streams; b++) {
            int at = b * s.length() + w * bptt + t;
            assertEquals(at < tokens.length ? tokens[at] : -1, in[t * streams + b], "input " + at);
            assertEquals(at + 1 < tokens.length ? tokens[at + 1] : -1, out[t * streams + b], "target " + at);
          }
        }
      }
    }
  }

  @Test
  void windowOfAShardOfStreams() {
    int[] tokens = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    TokenStreams s = TokenStreams.of(tokens, 2); // stream 0: 0..4, stream 1: 4..8
    int[] in = new int[2];
    int[] out = new int[2];
    s.window(1, 2, 1, 1, in, out);
    assertArrayEquals(new int[] {6, 7}, in);
    assertArrayEquals(new int[] {7, 8}, out);
  }

  @Test
  void vocabKeepsWordsSeenMoreThanMinCountMostFrequentFirst() {
    Map<String, Long> counts = new HashMap<>(Map.of("a", 5L, "b", 4L, "c", 3L, "d", 4L));
    Vocab v = Vocab.fromCounts(counts, 3, 0);
    assertEquals(List.of("</s>", "<unk>", "a", "b", "d"), v.words());
    assertEquals(Vocab.UNK_ID, v.id("c"));
    assertEquals(List.of("</s>", "<unk>", "a"), Vocab.fromCounts(counts, 3, 3).words());
  }

  @Test
  void brownVocabularyHasTheDocumentedSize() throws Exception {
    Vocab v = Vocab.fromCounts(Corpus.count(java.nio.file.Path.of("data/brown/train.txt")), 3, 0);
    assertEquals(14_115, v.size());
  }
}
