package io.flinkplatform.tasks.logic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpressionTest {
  private static final Map<String, String> P =
      Map.of("region", "eu", "extract.rows", "1500", "flag", "true", "a-b", "x", "price", "9.5");

  private static boolean test(String e) {
    return Expression.parse(e).test(P);
  }

  @Test
  void comparesNumbersAsNumbersAndTextAsText() {
    assertThat(test("extract.rows > 1000")).isTrue();
    assertThat(test("extract.rows >= 1500 && extract.rows <= 1500")).isTrue();
    assertThat(test("price < 10")).isTrue(); // as numbers, though as text "9.5" > "10"
    assertThat(test("region == 'eu'")).isTrue();
    assertThat(test("region != \"eu\"")).isFalse();
    assertThat(test("region < 'us'")).isTrue();
    assertThat(test("${a-b} == 'x'")).isTrue();
  }

  @Test
  void combinesWithPrecedenceAndParentheses() {
    assertThat(test("region == 'us' || region == 'eu' && flag")).isTrue();
    assertThat(test("(region == 'us' || region == 'eu') && !flag")).isFalse();
    assertThat(test("!(extract.rows < 10)")).isTrue();
    assertThat(test("flag")).isTrue();
    assertThat(test("false || true")).isTrue();
    assertThat(test("-1 < 0")).isTrue();
  }

  @Test
  void anUnknownParameterIsAnErrorNotAnEmptyValue() {
    Expression e = Expression.parse("missing == ''");
    assertThatThrownBy(() -> e.test(P))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'missing'")
        .hasMessageContaining("not a parameter");
  }

  @Test
  void syntaxErrorsSayWhere() {
    assertThatThrownBy(() -> Expression.parse("region == "))
        .hasMessageContaining("position 11")
        .hasMessageContaining("expected a value");
    assertThatThrownBy(() -> Expression.parse("(a == 'b'")).hasMessageContaining("expected ')'");
    assertThatThrownBy(() -> Expression.parse("a == 'b")).hasMessageContaining("unterminated");
    assertThatThrownBy(() -> Expression.parse("a b")).hasMessageContaining("unexpected 'b'");
    assertThatThrownBy(() -> Expression.parse("${a")).hasMessageContaining("expected '}'");
  }

  @Test
  void valuesAreNeverEvaluatedAsExpressions() {
    Map<String, String> hostile = Map.of("x", "1 == 1 || true");
    assertThat(Expression.parse("x").test(hostile)).isFalse();
    assertThat(Expression.parse("x == '1 == 1 || true'").test(hostile)).isTrue();
  }

  @Test
  void nestingIsBoundedWithAnErrorInsteadOfAStackOverflow() {
    // a thousand levels overflowed the stack before (the review's probe)
    String deep = "(".repeat(1_000) + "flag" + ")".repeat(1_000);
    String negations = "!".repeat(5_000) + "flag";
    String atTheBound =
        "(".repeat(Expression.MAX_DEPTH) + "flag" + ")".repeat(Expression.MAX_DEPTH);

    assertThatThrownBy(() -> Expression.parse(deep))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nested more than 100 deep");
    assertThatThrownBy(() -> Expression.parse(negations))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nested more than 100 deep");
    assertThat(Expression.parse(atTheBound).test(P)).isEqualTo(test("flag"));
  }

  @Test
  void longChainsEvaluateWithoutDeepRecursion() {
    String chain = String.join(" || ", java.util.Collections.nCopies(500, "region == 'xx'"));
    assertThat(Expression.parse(chain + " || region == 'eu'").test(P))
        .isEqualTo(test("region == 'eu'"));
    assertThatThrownBy(() -> Expression.parse("a == 'b' || ".repeat(1_000) + "a"))
        .hasMessageContaining("more than the 10000 allowed");
  }
}
