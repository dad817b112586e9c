package io.flinkplatform.engine.internal.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TextsTest {
  /** U+1F600, two chars in Java (a surrogate pair). */
  private static final String EMOJI = "\uD83D\uDE00";

  @Test
  void aCutThroughAnEmojiKeepsTheWholeEmoji() {
    String text = "ab" + EMOJI + "cd"; // the emoji takes chars 2 and 3

    String cut = Texts.prefix(text, 3); // a plain substring would end in a lone high surrogate

    assertThat(cut).isEqualTo("ab" + EMOJI);
    assertThat(Character.isHighSurrogate(text.substring(0, 3).charAt(2))).isTrue();
  }

  @Test
  void aCutBeforeOrAfterAnEmojiIsExact() {
    String text = "ab" + EMOJI + "cd";

    assertThat(Texts.prefix(text, 2)).isEqualTo("ab");
    assertThat(Texts.prefix(text, 4)).isEqualTo("ab" + EMOJI);
    assertThat(Texts.prefix(text, 5)).isEqualTo("ab" + EMOJI + "c");
    assertThat(Texts.prefix(text, 0)).isEmpty();
  }

  @Test
  void shortTextIsKeptAndLoneSurrogatesAreLeftAsTheyAre() {
    assertThat(Texts.prefix("abc", 3)).isEqualTo("abc");
    assertThat(Texts.prefix("abc", 10)).isEqualTo("abc");
    // a lone high surrogate followed by an ordinary char is not a pair: cut exactly
    assertThat(Texts.prefix("a\uD83Dbc", 2)).isEqualTo("a\uD83D");
    assertThatThrownBy(() -> Texts.prefix("abc", -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("chars must not be negative");
  }
}
