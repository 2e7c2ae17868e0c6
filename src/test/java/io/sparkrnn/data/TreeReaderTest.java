package io.sparkrnn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Both bracketed formats, the binarisation policy, and a malformed tree refused with its line and column. */
class TreeReaderTest {
  @Test
  void readsListOpsWithItsLabelAndThePublishedParenthesisedForm() {
    Tree t = TreeReader.parse("7\t[MAX 2 7 [MIN 4 7 ] 0 ]", 1, "f");
    assertEquals(7, t.label());
    assertEquals("[MAX", t.word());
    assertEquals(4, t.children().size());
    assertEquals("[MIN", t.children().get(2).word());
    assertEquals("[MAX 2 7 [MIN 4 7 ] 0 ]", t.toString());
    assertEquals(7, t.size());
    assertEquals(2, t.height());
    Tree p = TreeReader.parse("7\t( ( ( ( [MAX 2 ) 7 ) ( ( ( [MIN 4 ) 7 ) ] ) ) 0 ) ] )", 1, "f");
    assertEquals(t, p);
  }

  @Test
  void readsPennTreesWithALabelOnEveryNode() {
    Tree t = TreeReader.parse("(3 (2 It) (4 (2 's) (3 good)))", 1, "f");
    assertEquals(3, t.label());
    assertEquals(List.of("It", "'s", "good"), t.tokens());
    assertEquals(4, t.children().get(1).label());
    assertEquals("(3 (2 It) (4 (2 's) (3 good)))", t.toString());
    assertEquals(-1, TreeReader.parse("(NP (DT the) (NN cat))", 1, "f").label());
  }

  @Test
  void binarisesFromTheLeftWithTheOperatorAndTheClosingBracketAsLeaves() {
    Tree b = TreeReader.parse("5\t[SM 1 2 2 ]", 1, "f").binarised();
    // ((([SM 1) 2) 2) ]), the label on the top of the fold.
    assertEquals(5, b.label());
    assertEquals("]", b.children().get(1).word());
    Tree inner = b.children().get(0).children().get(0).children().get(0);
    assertEquals("[SM", inner.children().get(0).word());
    assertEquals("1", inner.children().get(1).word());
    assertEquals(-1, b.children().get(0).label());
    for (Tree n = b; !n.isLeaf(); n = n.children().get(0)) {
      assertEquals(2, n.children().size());
    }
    // A binary Penn tree keeps its shape.
    Tree penn = TreeReader.parse("(3 (2 It) (4 (2 's) (3 good)))", 1, "f");
    assertEquals(penn, penn.binarised());
  }

  @Test
  void refusesAMalformedTreeWithItsLineAndColumn() {
    assertError("data.txt, line 4, column 14: the list [MIN opened at column 8 is not closed with ']'",
        "[MAX 2 [MIN 4", 4);
    assertError("data.txt, line 1, column 9: '[MIN' after the end of the tree", "[SM 1 ] [MIN 1 ]", 1);
    assertError("data.txt, line 1, column 5: the list [SM has no arguments", "[SM ]", 1);
    assertError("data.txt, line 2, column 9: ']' after the end of the tree", "[SM 1 ] ]", 2);
    assertError("data.txt, line 1, column 1: the label before the tab must be a whole number, not 'x'",
        "x\t[SM 1 ]", 1);
    assertError("data.txt, line 3, column 16: the line ends before every '(' is closed", "(3 (2 It) (2 a)", 3);
    assertError("data.txt, line 1, column 10: 'b' must be a subtree in parentheses: a node has either one word or"
        + " subtrees", "(3 (2 a) b)", 1);
    assertError("data.txt, line 1, column 2: expected a label after '(', not ')'", "()", 1);
  }

  private static void assertError(String expected, String line, int lineNo) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TreeReader.parse(line, lineNo, "data.txt"));
    assertEquals(expected, e.getMessage());
  }
}
