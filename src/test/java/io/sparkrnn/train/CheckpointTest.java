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

  @Test
  void theShapeTextNamesEverySizeAndParsesBackToTheSameCard() throws Exception {
    LanguageModelCard card = formatTwo().languageModel();
    assertTrue(card.shape().contains("hidden=4\n"), card.shape());
    assertEquals(card, ModelCard.read("lm", card.shape(), card.vocabularies()));
  }

  @Test
  void anUnknownFamilyIsNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelCard.read("tree", "", java.util.Map.of()));
    assertTrue(e.getMessage().contains("model family 'tree'"), e.getMessage());
  }
}
