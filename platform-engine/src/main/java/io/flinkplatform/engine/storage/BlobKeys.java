package io.flinkplatform.engine.storage;

import java.util.regex.Pattern;

/** The rule for blob keys, shared by every {@link BlobStore}. */
public final class BlobKeys {
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._@=-]{0,190}");

  private BlobKeys() {}

  /**
   * Returns {@code key} if it is 1..32 segments joined by {@code /}, each starting with a letter,
   * digit or {@code _} and holding only letters, digits and {@code . _ @ = -} (so no {@code ..}, no
   * absolute path, no empty segment); throws {@link IllegalArgumentException} naming the rule
   * otherwise.
   */
  public static String check(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("a blob key must not be empty");
    }
    String[] parts = key.split("/", -1);
    if (parts.length > 32) {
      throw new IllegalArgumentException("a blob key has at most 32 segments: " + key);
    }
    for (String p : parts) {
      if (!SEGMENT.matcher(p).matches()) {
        throw new IllegalArgumentException(
            "blob key "
                + key
                + ": each segment starts with a letter, digit or _ and holds only letters,"
                + " digits and . _ @ = - (at most 191 characters)");
      }
    }
    return key;
  }
}
