package io.sparkrnn.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reading a local UTF-8 text file for the in-process trainer: word counts, and the id sequence of a
 * whole split. Malformed UTF-8 (a binary file) is an error naming the file, never silently replaced.
 */
public final class Corpus {
  private Corpus() {}

  public static Map<String, Long> count(Path file) throws IOException {
    Map<String, Long> counts = new HashMap<>();
    long n = forEachLine(file, line -> Tokenizer.tokens(line, w -> counts.merge(w, 1L, Long::sum)));
    if (n == 0) {
      throw new IllegalArgumentException("the corpus " + file + " holds no tokens");
    }
    return counts;
  }

  /** The ids of every token of the file, {@code </s>} after each line. */
  public static int[] ids(Path file, Vocab vocab) throws IOException {
    IntList ids = new IntList();
    forEachLine(file, line -> Tokenizer.tokens(line, w -> ids.add(vocab.id(w))));
    return ids.toArray();
  }

  /** The lines of a UTF-8 text file; a missing or binary file is one clear sentence. */
  public static List<String> lines(Path file) throws IOException {
    List<String> out = new ArrayList<>();
    forEachLine(file, line -> {
      out.add(line);
      return 0;
    });
    return out;
  }

  interface LineHandler {
    int accept(String line);
  }

  private static long forEachLine(Path file, LineHandler handler) throws IOException {
    long tokens = 0;
    try (InputStream in = Files.newInputStream(file);
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)))) {
      String line;
      while ((line = r.readLine()) != null) {
        tokens += handler.accept(line);
      }
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(file + " does not exist");
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(file + " is not UTF-8 text (binary data?)");
    }
    return tokens;
  }
}
