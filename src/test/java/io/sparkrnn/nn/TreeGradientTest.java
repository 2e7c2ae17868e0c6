package io.sparkrnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkrnn.data.Tree;
import io.sparkrnn.data.TreeIds;
import io.sparkrnn.data.TreeReader;
import io.sparkrnn.data.Vocab;
import io.sparkrnn.math.Activation;
import io.sparkrnn.math.Rng;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The three tree cells against finite differences, every tensor, on a batch of differently shaped trees (a leaf
 * alone, unary and wide nodes, depths 1 to 3); and a batch against the same trees one at a time: the level
 * schedule must not change a loss or a gradient.
 */
class TreeGradientTest {
  private static final Vocab VOCAB = new Vocab(List.of("</s>", "<unk>", "[MAX", "[SM", "]", "1", "2", "3", "4"));
  private static final String[] LISTOPS = {"3\t[MAX 1 [SM 2 4 ] 3 ]", "4\t[SM 1 3 ]",
      "2\t[MAX [SM 1 [MAX 2 ] ] 2 1 4 3 ]"};
  private static final String[] SST = {"(3 (2 1) (4 (2 2) (0 (1 3) (3 4))))", "(1 (0 (2 4)))", "(4 3)"};

  private static List<TreeIds> trees(String[] lines, boolean binary, boolean rootOnly) {
    List<TreeIds> out = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      Tree t = TreeReader.parse(lines[i], i + 1, "test");
      out.add(TreeIds.of(binary ? t.binarised() : t, VOCAB, rootOnly));
    }
    return out;
  }

  @Test
  void recursiveNetworkTanh() {
    check(new TreeSpec("rnn", VOCAB.size(), 4, 4, 5, Activation.TANH));
  }

  @Test
  void recursiveNetworkRelu() {
    check(new TreeSpec("rnn", VOCAB.size(), 4, 4, 5, Activation.RELU));
  }

  @Test
  void binaryTreeLstm() {
    check(new TreeSpec("treelstm", VOCAB.size(), 3, 4, 5, Activation.TANH));
  }

  @Test
  void childSumTreeLstm() {
    check(new TreeSpec("childsum", VOCAB.size(), 3, 4, 5, Activation.TANH));
  }

  private static void check(TreeSpec spec) {
    TreeNet m = new TreeNet(spec);
    // ListOps with the root's label only, and SST trees with a label on every node.
    for (List<TreeIds> batch : List.of(trees(LISTOPS, spec.binary(), true), trees(SST, spec.binary(), false))) {
      Rng rng = new Rng(3);
      float[] params = GradCheck.random(m.layout().size(), 0.6, rng);
      TreeSchedule s = TreeSchedule.of(batch);
      float[] grad = new float[params.length];
      double loss = m.loss(params, s, grad);
      assertEquals(loss, m.loss(params, s, null), 1e-6);
      for (ParamLayout.View v : m.layout().views()) {
        GradCheck.check(spec.cell() + " " + v.name(), params, v.offset(), v.end(), grad, v.offset(),
            x -> m.loss(x, s, null), 60, rng);
      }
      assertBatchEqualsOneAtATime(m, params, batch, loss, grad);
    }
  }

  private static void assertBatchEqualsOneAtATime(TreeNet m, float[] params, List<TreeIds> batch, double loss,
      float[] grad) {
    double sum = 0;
    float[] sumGrad = new float[params.length];
    int[] predicted = m.predict(params, TreeSchedule.of(batch));
    for (int t = 0; t < batch.size(); t++) {
      TreeSchedule one = TreeSchedule.of(List.of(batch.get(t)));
      sum += m.loss(params, one, sumGrad);
      assertEquals(predicted[t], m.predict(params, one)[0], "tree " + t + " classified alone");
    }
    assertEquals(loss, sum, 1e-5 * Math.abs(loss));
    assertArrayEquals(grad, sumGrad, 1e-5f);
  }

  @Test
  void aBinaryCellRefusesATreeThatIsNotBinarised() {
    TreeNet m = new TreeNet(new TreeSpec("treelstm", VOCAB.size(), 3, 4, 5, Activation.TANH));
    TreeSchedule wide = TreeSchedule.of(trees(LISTOPS, false, true));
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> m.loss(new float[m.layout().size()], wide, null));
    assertEquals("a binary tree cell got a node of 5 children; it reads binarised trees (Tree.binarised)",
        e.getMessage());
  }

  @Test
  void theScheduleRunsEachLevelOnceOverTheWholeBatch() {
    TreeSchedule s = TreeSchedule.of(trees(LISTOPS, false, true));
    // The third expression is deepest: [MAX over [SM over [MAX over a digit.
    assertEquals(4, s.levels());
    assertEquals(18, s.nodes());
    assertEquals(3, s.trees());
    assertEquals(5, s.maxChildren());
    for (int e = 0; e < s.children.length; e++) {
      int parent = s.edgeParent[e];
      int child = s.children[e];
      assertEquals(true, level(s, child) < level(s, parent), "child " + child + " of " + parent);
    }
  }

  private static int level(TreeSchedule s, int node) {
    int l = 0;
    while (s.levelStart[l + 1] <= node) {
      l++;
    }
    return l;
  }
}
