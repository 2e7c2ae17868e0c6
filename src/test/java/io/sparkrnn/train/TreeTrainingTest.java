package io.sparkrnn.train;

import static io.sparkrnn.train.Fixtures.with;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tree classifiers in the driver loop: every cell learns ListOps beyond chance, a run resumes exactly, and bad
 * input is one sentence.
 */
class TreeTrainingTest {
  @TempDir
  Path dir;

  @Test
  void everyCellLearnsAndTheBinaryTreeLstmResumesExactly() throws Exception {
    String[] learn = {"train.epochs=4"};
    TrainLoop.Result whole = LocalTraining.run(Fixtures.tinyTrees(dir, "whole", learn));
    assertEquals(252, whole.steps());
    // Ten balanced classes: a uniform guess is right one time in ten (about 0.10 ± 0.02 on 200 test trees),
    // perplexity 10.
    assertTrue(whole.testPpl() < 7, "test perplexity " + whole.testPpl());
    assertTrue(accuracy("whole") > 0.25, "test accuracy " + accuracy("whole"));
    LocalTraining.run(Fixtures.tinyTrees(dir, "part", with(learn, "train.maxSteps=237")));
    TrainLoop.Result resumed = LocalTraining.run(Fixtures.tinyTrees(dir, "part", with(learn, "resume=true")));
    assertArrayEquals(whole.params(), resumed.params());
    assertEquals(whole.testPpl(), resumed.testPpl(), 0.0);
    for (String cell : List.of("model.cell=rnn", "model.cell=childsum", "tree.shape=chain")) {
      TrainLoop.Result r = LocalTraining.run(Fixtures.tinyTrees(dir, cell.replace('=', '-'), with(learn, cell,
          "model.embed=12", cell.equals("tree.shape=chain") ? "model.cell=childsum" : "model.activation=tanh")));
      String out = cell.replace('=', '-');
      assertTrue(r.testPpl() < 10 && accuracy(out) > 0.17, cell + ": test perplexity " + r.testPpl() + ", accuracy "
          + accuracy(out));
    }
  }

  private double accuracy(String out) throws java.io.IOException {
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve(out).resolve("summary.json")
        .toFile()).get("test_accuracy").asDouble();
  }

  @Test
  void badInputIsOneSentence() throws Exception {
    Path bad = dir.resolve("bad.txt");
    Files.write(bad, List.of("3\t[MAX 1 3 ]", "4\t[SM 1 3 ", "2\t[MIN 2 7 ]"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LocalTraining.run(Fixtures.tinyTrees(dir, "bad", "data.train=" + bad)));
    assertEquals(bad + ", line 2, column 11: the list [SM opened at column 3 is not closed with ']'", e.getMessage());

    Files.write(bad, List.of("3\t[MAX 1 3 ]", "12\t[SM 1 3 ]"));
    e = assertThrows(IllegalArgumentException.class, () -> LocalTraining.run(Fixtures.tinyTrees(dir, "bad",
        "data.train=" + bad, "tree.classes=10")));
    assertEquals("the training trees " + bad + " hold the label 12, outside the model's 10 classes (tree.classes)",
        e.getMessage());

    e = assertThrows(IllegalArgumentException.class, () -> LocalTraining.run(Fixtures.tinyTrees(dir, "bad",
        "tree.shape=chain")));
    assertEquals("tree.shape=chain needs model.cell=childsum (on a chain of the tokens it is an LSTM), not"
        + " model.cell=treelstm", e.getMessage());

    e = assertThrows(IllegalArgumentException.class, () -> LocalTraining.run(Fixtures.tinyTrees(dir, "bad",
        "model.cell=lstm")));
    assertEquals("model.cell must be rnn, treelstm or childsum for model.family=tree, not 'lstm'", e.getMessage());
  }
}
