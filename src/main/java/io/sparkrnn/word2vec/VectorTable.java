package io.sparkrnn.word2vec;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Word vectors as a table: row i of {@code table} (words.size() rows of {@code dim}) is the vector of words[i].
 * Read and written in the word2vec text format, as the C tool writes it and gensim's load_word2vec_format reads
 * it: a line "words dimensions", then one line per word, the word and its values separated by spaces.
 */
public record VectorTable(List<String> words, float[] table, int dim) {
  public VectorTable {
    words = List.copyOf(words);
    if (table.length != words.size() * dim) {
      throw new IllegalArgumentException(words.size() + " words of " + dim + " dimensions need " + words.size() * dim
          + " values, not " + table.length);
    }
  }

  /** Writes the table in the word2vec text format, without the word {@code leaveOut} (null: every word). */
  public void writeText(Path file, String leaveOut) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write((words.size() - (leaveOut != null && words.contains(leaveOut) ? 1 : 0)) + " " + dim + "\n");
      StringBuilder b = new StringBuilder();
      for (int id = 0; id < words.size(); id++) {
        if (words.get(id).equals(leaveOut)) {
          continue;
        }
        b.setLength(0);
        b.append(words.get(id));
        for (int j = 0; j < dim; j++) {
          b.append(' ').append(table[id * dim + j]);
        }
        w.write(b.append('\n').toString());
      }
    }
  }

  /** A file in the word2vec text format, rows in file order; one clear sentence when it is not one. */
  public static VectorTable readText(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(file + " is not a file of word vectors");
    }
    List<String> words = new ArrayList<>();
    List<float[]> rows = new ArrayList<>();
    int dim = -1;
    try (var lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String[] head = String.valueOf(lines.readLine()).strip().split("\\s+");
      if (head.length != 2 || !head[0].matches("\\d+") || !head[1].matches("\\d+")) {
        throw new IllegalArgumentException(file + " does not start with the word2vec text format's line \"words"
            + " dimensions\"");
      }
      dim = Integer.parseInt(head[1]);
      int lineNo = 1;
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        lineNo++;
        String[] f = line.strip().split(" ");
        if (f.length != dim + 1) {
          throw new IllegalArgumentException(file + " line " + lineNo + ": " + (f.length - 1) + " values where the"
              + " first line says " + dim);
        }
        float[] v = new float[dim];
        for (int j = 0; j < dim; j++) {
          v[j] = Float.parseFloat(f[j + 1]);
        }
        words.add(f[0]);
        rows.add(v);
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(file + " holds a value that is not a number: " + e.getMessage());
    }
    float[] table = new float[rows.size() * dim];
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(rows.get(i), 0, table, i * dim, dim);
    }
    return new VectorTable(words, table, dim);
  }
}
