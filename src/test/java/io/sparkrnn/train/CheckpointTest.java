package io.sparkrnn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** The checkpoint format: a model card as family, shape and vocabularies, and the files of earlier versions. */
class CheckpointTest {
  /** Written by the format-2 version of the project: a 3-step LSTM run (hidden 4, embed 3, vocab 20). */
  private static Checkpoint formatTwo() throws Exception {
    try (InputStream in = CheckpointTest.class.getResourceAsStream("/checkpoint/v2-lstm.ckpt")) {
      return Checkpoint.read(in, "v2-lstm.ckpt");
    }
  }

  private static Checkpoint roundTrip(Checkpoint c) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    c.write(out);
    return Checkpoint.read(new ByteArrayInputStream(out.toByteArray()), "copy");
  }

  @Test
  void aFormatTwoCheckpointReadsAsALanguageModelAndWritesBackAsTheSameState() throws Exception {
    Checkpoint old = formatTwo();
    assertEquals("lm", old.model().family());
    assertEquals("lstm", old.spec().cell());
    assertEquals(4, old.spec().hidden());
    assertEquals(3, old.spec().embed());
    assertEquals(20, old.vocab().size());
    assertEquals(3, old.step());
    Checkpoint again = roundTrip(old);
    assertEquals(old.model(), again.model());
    assertArrayEquals(old.params(), again.params());
    assertArrayEquals(old.optimizerState()[1], again.optimizerState()[1]);
    assertEquals(old.rngState(), again.rngState());
    assertArrayEquals(old.carried().state(), again.carried().state());
  }

  /**
   * Format 3 is format 4 without the averaging fields at the end of the body (averageFrom, iterate): a checkpoint
   * rewritten as format 3 reads as the same state, not averaging.
   */
  @Test
  void aFormatThreeCheckpointReadsAsTheSameStateWithoutAveraging() throws Exception {
    Checkpoint old = formatTwo();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    old.write(out);
    java.nio.ByteBuffer v4 = java.nio.ByteBuffer.wrap(out.toByteArray());
    int header = 8 + 4 + 8; // "SRNNCKPT", version, body length
    assertEquals(4, v4.getInt(8));
    int body = (int) v4.getLong(12) - 8 - 4; // without averageFrom (a long) and the empty iterate (its count)
    byte[] v3 = java.util.Arrays.copyOf(out.toByteArray(), header + body + 4);
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(v3).putInt(8, 3).putLong(12, body);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(v3, header, body);
    b.putInt(header + body, (int) crc.getValue());
    Checkpoint three = Checkpoint.read(new ByteArrayInputStream(v3), "v3.ckpt");
    assertEquals(-1, three.averageFrom());
    assertEquals(0, three.iterate().length);
    assertEquals(old.model(), three.model());
    assertArrayEquals(old.params(), three.params());
    assertArrayEquals(old.trainingParams(), three.trainingParams());
    assertArrayEquals(old.optimizerState()[1], three.optimizerState()[1]);
    assertArrayEquals(old.carried().state(), three.carried().state());
    v3[header + body - 1] ^= 1;
    assertThrows(java.io.IOException.class, () -> Checkpoint.read(new ByteArrayInputStream(v3), "v3.ckpt"));
  }

  @Test
  void theShapeTextNamesEverySizeAndParsesBackToTheSameCard() throws Exception {
    LanguageModelCard card = formatTwo().languageModel();
    assertTrue(card.shape().contains("hidden=4\n"), card.shape());
    assertEquals(card, ModelCard.read("lm", card.shape(), card.vocabularies()));
  }

  @Test
  void anUnknownFamilyIsNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelCard.read("forest", "", java.util.Map.of()));
    assertTrue(e.getMessage().contains("model family 'forest'"), e.getMessage());
  }
}
