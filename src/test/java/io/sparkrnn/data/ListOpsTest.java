package io.sparkrnn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The generator's labels against a second evaluator that shares nothing with the first (a stack machine over the
 * text of the line, no tree), and the recipe: depths, argument counts, distinct examples, balanced classes, the
 * same sets for the same seed.
 */
class ListOpsTest {
  /** Evaluates a ListOps line's text with a stack of open lists. */
  static int stackValue(String text) {
    Deque<String> ops = new ArrayDeque<>();
    Deque<List<Integer>> args = new ArrayDeque<>();
    Integer result = null;
    for (String tok : text.trim().split("\\s+")) {
      if (tok.startsWith("[")) {
        ops.push(tok.substring(1));
        args.push(new ArrayList<>());
      } else {
        int v;
        if (tok.equals("]")) {
          List<Integer> a = args.pop();
          String op = ops.pop();
          a.sort(null);
          int n = a.size();
          int sum = 0;
          for (int x : a) {
            sum += x;
          }
          v = switch (op) {
            case "MIN" -> a.get(0);
            case "MAX" -> a.get(n - 1);
            case "MED" -> (int) Math.floor(n % 2 == 1 ? a.get(n / 2) : (a.get(n / 2 - 1) + a.get(n / 2)) / 2.0);
            case "SM" -> sum % 10;
            default -> throw new AssertionError(op);
          };
        } else {
          v = Integer.parseInt(tok);
        }
        if (args.isEmpty()) {
          result = v;
        } else {
          args.peek().add(v);
        }
      }
    }
    return result;
  }

  @Test
  void labelsAgreeWithAnIndependentEvaluatorAndTheRecipeHolds() {
    List<List<Tree>> splits = ListOps.generate(42, 3000, 500, 500);
    Set<String> seen = new HashSet<>();
    int maxDepth = 0;
    for (List<Tree> split : splits) {
      int[] counts = new int[ListOps.CLASSES];
      for (Tree t : split) {
        String line = ListOps.line(t);
        String text = line.substring(line.indexOf('\t') + 1);
        assertEquals(stackValue(text), t.label(), text);
        assertEquals(t, TreeReader.parse(line, 1, "generated"), "the line reads back as the same tree");
        assertTrue(seen.add(text), "duplicate " + text);
        counts[t.label()]++;
        maxDepth = Math.max(maxDepth, depth(t));
        checkArguments(t);
      }
      for (int c : counts) {
        assertEquals(split.size() / ListOps.CLASSES, c);
      }
    }
    assertTrue(maxDepth >= 6 && maxDepth <= 19, "deepest list nesting " + maxDepth);
    assertEquals(splits.get(1).toString(), ListOps.generate(42, 3000, 500, 500).get(1).toString());
  }

  /** Lists nested in one another: 1 for a flat list. */
  private static int depth(Tree t) {
    int d = 0;
    for (Tree c : t.children()) {
      d = Math.max(d, c.isLeaf() ? 0 : depth(c));
    }
    return d + 1;
  }

  private static void checkArguments(Tree t) {
    if (!t.isLeaf()) {
      assertTrue(t.children().size() >= 2 && t.children().size() <= 5, t.toString());
      assertTrue(ListOps.OPERATORS.contains(t.word()), t.word());
      t.children().forEach(ListOpsTest::checkArguments);
    }
  }

  @Test
  void medianOfAnEvenCountIsTheMeanOfTheMiddleTwoRoundedDown() {
    assertEquals(4, ListOps.value(TreeReader.parse("[MED 1 4 5 9 ]", 1, "t")));
    assertEquals(4, stackValue("[MED 1 4 5 9 ]"));
    assertEquals(3, ListOps.value(TreeReader.parse("[SM 9 4 [MAX 0 0 ] ]", 1, "t")));
  }
}
