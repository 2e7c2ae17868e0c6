package io.sparkrnn.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads bracketed trees, one per line, in two formats:
 * <ul>
 *   <li>ListOps: an optional class label and a tab, then a prefix expression {@code [MAX 2 9 [MIN 4 7 ] 0 ]} of
 *       operator tokens (starting with {@code [}), words and {@code ]}. The label goes to the root. Parentheses as
 *       tokens (the published data set's {@code ( ( [MAX 2 ) 9 ) ] )}) are skipped: the operators already say
 *       where each list begins and ends.</li>
 *   <li>Penn/SST: {@code (3 (2 It) (4 (2 's) (3 good)))}, a label on every node (an integer is a class label; a
 *       tag such as NP is read as none), a word at each leaf.</li>
 * </ul>
 * A line that starts with {@code (} and has no token starting with {@code [} is Penn, any other ListOps. A
 * malformed tree is refused with its line and column (1-based).
 */
public final class TreeReader {
  private TreeReader() {}

  private record Token(String text, int column) {}

  /** The tree of one line, {@code lineNo} for messages (1-based; the source names the file). */
  public static Tree parse(String line, int lineNo, String source) {
    int tab = line.indexOf('\t');
    int label = -1;
    int skip = 0;
    if (tab >= 0) {
      String head = line.substring(0, tab).strip();
      try {
        label = Integer.parseInt(head);
      } catch (NumberFormatException e) {
        throw error(source, lineNo, 1, "the label before the tab must be a whole number, not '" + head + "'");
      }
      if (label < 0) {
        throw error(source, lineNo, 1, "the label must not be negative, not " + label);
      }
      skip = tab + 1;
    }
    List<Token> tokens = tokens(line, skip);
    if (tokens.isEmpty()) {
      throw error(source, lineNo, line.length() + 1, "no tree on the line");
    }
    boolean listOps = !tokens.get(0).text.equals("(")
        || tokens.stream().anyMatch(t -> t.text.startsWith("[") && t.text.length() > 1);
    Cursor c = new Cursor(tokens, lineNo, source, line.length() + 1);
    Tree t = listOps ? c.listOps() : c.penn();
    while (listOps && c.at < tokens.size() && tokens.get(c.at).text.equals(")")) {
      c.at++;
    }
    if (c.at < tokens.size()) {
      Token extra = tokens.get(c.at);
      throw error(source, lineNo, extra.column, "'" + extra.text + "' after the end of the tree");
    }
    return label >= 0 ? t.withLabel(label) : t;
  }

  /** The trees of lines, skipping blank ones. */
  public static List<Tree> parse(List<String> lines, String source) {
    List<Tree> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).isBlank()) {
        out.add(parse(lines.get(i), i + 1, source));
      }
    }
    return out;
  }

  /** Whitespace-separated tokens from {@code from}, each parenthesis a token of its own. */
  private static List<Token> tokens(String line, int from) {
    List<Token> out = new ArrayList<>();
    int i = from;
    while (i < line.length()) {
      char ch = line.charAt(i);
      if (Character.isWhitespace(ch)) {
        i++;
      } else if (ch == '(' || ch == ')') {
        out.add(new Token(String.valueOf(ch), i + 1));
        i++;
      } else {
        int start = i;
        while (i < line.length() && !Character.isWhitespace(line.charAt(i)) && line.charAt(i) != '('
            && line.charAt(i) != ')') {
          i++;
        }
        out.add(new Token(line.substring(start, i), start + 1));
      }
    }
    return out;
  }

  private static IllegalArgumentException error(String source, int line, int column, String what) {
    return new IllegalArgumentException(source + ", line " + line + ", column " + column + ": " + what);
  }

  /** A recursive-descent parser over one line's tokens. */
  private static final class Cursor {
    private final List<Token> tokens;
    private final int line;
    private final String source;
    private final int endColumn;
    int at;

    Cursor(List<Token> tokens, int line, String source, int endColumn) {
      this.tokens = tokens;
      this.line = line;
      this.source = source;
      this.endColumn = endColumn;
    }

    /** The next token that is not a parenthesis (ListOps), or null at the end. */
    private Token nextListOps() {
      while (at < tokens.size() && (tokens.get(at).text.equals("(") || tokens.get(at).text.equals(")"))) {
        at++;
      }
      return at < tokens.size() ? tokens.get(at++) : null;
    }

    Tree listOps() {
      Token t = nextListOps();
      if (t == null) {
        throw error(source, line, endColumn, "the line ends where an expression should start");
      }
      if (t.text.equals("]")) {
        throw error(source, line, t.column, "']' closes no list");
      }
      if (!t.text.startsWith("[") || t.text.length() == 1) {
        if (t.text.equals("[")) {
          throw error(source, line, t.column, "'[' needs its operator attached, as in [MAX");
        }
        return Tree.leaf(t.text, -1);
      }
      List<Tree> args = new ArrayList<>();
      while (true) {
        int mark = at;
        Token next = nextListOps();
        if (next == null) {
          throw error(source, line, endColumn, "the list " + t.text + " opened at column " + t.column
              + " is not closed with ']'");
        }
        if (next.text.equals("]")) {
          if (args.isEmpty()) {
            throw error(source, line, next.column, "the list " + t.text + " has no arguments");
          }
          return new Tree(t.text, "]", -1, args);
        }
        at = mark;
        args.add(listOps());
      }
    }

    Tree penn() {
      Token open = take();
      if (!open.text.equals("(")) {
        throw error(source, line, open.column, "expected '(' where a subtree starts, not '" + open.text + "'");
      }
      Token head = take();
      if (head.text.equals("(") || head.text.equals(")")) {
        throw error(source, line, head.column, "expected a label after '(', not '" + head.text + "'");
      }
      int label = -1;
      try {
        label = Integer.parseInt(head.text);
      } catch (NumberFormatException e) {
        // A tag such as NP: no class label.
      }
      List<Tree> children = new ArrayList<>();
      String word = null;
      while (true) {
        Token next = peek();
        if (next.text.equals(")")) {
          at++;
          break;
        }
        if (next.text.equals("(")) {
          if (word != null) {
            throw error(source, line, next.column, "a leaf holds one word; a subtree cannot follow '" + word + "'");
          }
          children.add(penn());
        } else {
          if (word != null || !children.isEmpty()) {
            throw error(source, line, next.column, "'" + next.text + "' must be a subtree in parentheses: a node"
                + " has either one word or subtrees");
          }
          word = next.text;
          at++;
        }
      }
      if (word == null && children.isEmpty()) {
        throw error(source, line, open.column, "the node opened here is empty");
      }
      return word != null ? Tree.leaf(word, label) : new Tree(null, null, label, children);
    }

    private Token peek() {
      if (at >= tokens.size()) {
        throw error(source, line, endColumn, "the line ends before every '(' is closed");
      }
      return tokens.get(at);
    }

    private Token take() {
      Token t = peek();
      at++;
      return t;
    }
  }
}
