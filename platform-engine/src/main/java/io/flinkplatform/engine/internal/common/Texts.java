package io.flinkplatform.engine.internal.common;

/** Cutting text that is stored in the database, whose utf8mb4 columns refuse half a character. */
public final class Texts {
  private Texts() {}

  /**
   * The first {@code chars} characters of {@code text} (all of it when shorter), one more when the
   * last would be the first half of a surrogate pair: a cut never splits a character.
   */
  public static String prefix(String text, int chars) {
    if (chars < 0) {
      throw new IllegalArgumentException("chars must not be negative but was " + chars);
    }
    if (text.length() <= chars) {
      return text;
    }
    int end = chars;
    if (end > 0
        && Character.isHighSurrogate(text.charAt(end - 1))
        && Character.isLowSurrogate(text.charAt(end))) {
      end++;
    }
    return text.substring(0, end);
  }
}
