package io.flinkplatform.tasks.logic;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small boolean expression over the task's parameters and the outputs of tasks upstream (as
 * {@code task.key}), parsed once and evaluated per run. Parentheses and '!' nest at most {@value
 * #MAX_DEPTH} deep, and an expression has at most {@value #MAX_LENGTH} characters.
 *
 * <pre>
 * expr    := or
 * or      := and ( '||' and )*
 * and     := unary ( '&amp;&amp;' unary )*
 * unary   := '!' unary | compare
 * compare := operand ( ( '==' | '!=' | '&lt;' | '&lt;=' | '&gt;' | '&gt;=' ) operand )?
 * operand := 'text' | "text" | number | true | false | name | ${name} | '(' expr ')'
 * </pre>
 *
 * Names are parameter names ({@code [A-Za-z_][A-Za-z0-9_.-]*}); a name that is not a parameter is
 * an error, never an empty string. Two values compare as numbers when both are numbers, else as
 * text. An operand alone is true when it is {@code true} (ignoring case); so is a bare comparison.
 * Values are data: nothing is ever executed or spliced.
 */
final class Expression {
  /** The deepest nesting of parentheses and negations. */
  static final int MAX_DEPTH = 100;

  /** The longest expression, in characters. */
  static final int MAX_LENGTH = 10_000;

  private final String text;
  private final Node root;

  private Expression(String text, Node root) {
    this.text = text;
    this.root = root;
  }

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException saying where and what was expected
   */
  static Expression parse(String text) {
    requireNonNull(text, "text is null");
    if (text.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "expression has "
              + text.length()
              + " characters, more than the "
              + MAX_LENGTH
              + " allowed");
    }
    Parser p = new Parser(text);
    Node root = p.or();
    p.skipSpace();
    if (p.pos < text.length()) {
      throw p.error("unexpected '" + text.charAt(p.pos) + "'");
    }
    return new Expression(text, root);
  }

  /**
   * Evaluates against the parameters.
   *
   * @throws IllegalArgumentException naming a parameter that does not exist
   */
  boolean test(Map<String, String> parameters) {
    return truthy(root.eval(parameters));
  }

  @Override
  public String toString() {
    return text;
  }

  private static boolean truthy(String v) {
    return "true".equalsIgnoreCase(v);
  }

  private interface Node {
    String eval(Map<String, String> p);
  }

  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s) {
      this.s = s;
    }

    private int depth;

    // Chains of || and && are kept as lists, so that evaluation never recurses per operator.
    Node or() {
      List<Node> terms = new ArrayList<>(List.of(and()));
      while (take("||")) {
        terms.add(and());
      }
      return terms.size() == 1
          ? terms.get(0)
          : p -> Boolean.toString(terms.stream().anyMatch(t -> truthy(t.eval(p))));
    }

    Node and() {
      List<Node> terms = new ArrayList<>(List.of(unary()));
      while (take("&&")) {
        terms.add(unary());
      }
      return terms.size() == 1
          ? terms.get(0)
          : p -> Boolean.toString(terms.stream().allMatch(t -> truthy(t.eval(p))));
    }

    Node unary() {
      skipSpace();
      if (peek("!") && !peek("!=")) {
        pos++;
        enter();
        Node inner = unary();
        depth--;
        return p -> Boolean.toString(!truthy(inner.eval(p)));
      }
      return compare();
    }

    /** One level deeper, refused past {@link #MAX_DEPTH}, before the stack could overflow. */
    private void enter() {
      if (++depth > MAX_DEPTH) {
        throw error("nested more than " + MAX_DEPTH + " deep");
      }
    }

    Node compare() {
      Node left = operand();
      for (String op : new String[] {"==", "!=", "<=", ">=", "<", ">"}) {
        if (take(op)) {
          Node right = operand();
          return p -> Boolean.toString(Expression.compare(op, left.eval(p), right.eval(p)));
        }
      }
      return left;
    }

    Node operand() {
      skipSpace();
      if (pos >= s.length()) {
        throw error("expected a value");
      }
      char c = s.charAt(pos);
      if (c == '(') {
        pos++;
        enter();
        Node inner = or();
        depth--;
        if (!take(")")) {
          throw error("expected ')'");
        }
        return inner;
      }
      if (c == '\'' || c == '"') {
        int end = s.indexOf(c, pos + 1);
        if (end < 0) {
          throw error("unterminated text");
        }
        String literal = s.substring(pos + 1, end);
        pos = end + 1;
        return p -> literal;
      }
      if (c == '-' || Character.isDigit(c)) {
        int start = pos++;
        while (pos < s.length() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '.')) {
          pos++;
        }
        String number = s.substring(start, pos);
        if (number(number) == null) {
          throw error("'" + number + "' is not a number");
        }
        return p -> number;
      }
      boolean braced = s.startsWith("${", pos);
      if (braced) {
        pos += 2;
      }
      int start = pos;
      while (pos < s.length() && isNameChar(s.charAt(pos), pos == start)) {
        pos++;
      }
      String name = s.substring(start, pos);
      if (name.isEmpty()) {
        throw error("expected a value");
      }
      if (braced && !take("}")) {
        throw error("expected '}'");
      }
      if (!braced && (name.equals("true") || name.equals("false"))) {
        return p -> name;
      }
      return p -> {
        String v = p.get(name);
        if (v == null) {
          throw new IllegalArgumentException(
              "the expression names '" + name + "', which is not a parameter of this run");
        }
        return v;
      };
    }

    private static boolean isNameChar(char c, boolean first) {
      return Character.isLetter(c)
          || c == '_'
          || (!first && (Character.isDigit(c) || c == '.' || c == '-'));
    }

    boolean take(String token) {
      skipSpace();
      if (s.startsWith(token, pos)) {
        pos += token.length();
        return true;
      }
      return false;
    }

    boolean peek(String token) {
      return s.startsWith(token, pos);
    }

    void skipSpace() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }

    IllegalArgumentException error(String what) {
      String shown = s.length() > 80 ? s.substring(0, 80) + "…" : s;
      return new IllegalArgumentException(
          "expression '" + shown + "' at position " + (pos + 1) + ": " + what);
    }
  }

  private static boolean compare(String op, String a, String b) {
    BigDecimal x = number(a);
    BigDecimal y = number(b);
    int c = x != null && y != null ? x.compareTo(y) : a.compareTo(b);
    switch (op) {
      case "==":
        return c == 0;
      case "!=":
        return c != 0;
      case "<":
        return c < 0;
      case "<=":
        return c <= 0;
      case ">":
        return c > 0;
      case ">=":
        return c >= 0;
      default:
        throw new AssertionError(op);
    }
  }

  private static BigDecimal number(String v) {
    try {
      return new BigDecimal(v.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
