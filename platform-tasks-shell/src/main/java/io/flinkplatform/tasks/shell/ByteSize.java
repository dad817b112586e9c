package io.flinkplatform.tasks.shell;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes written as {@code 512}, {@code 64KB}, {@code 10MB}, {@code 1GB} (binary multiples). */
final class ByteSize {
  private static final Pattern SIZE = Pattern.compile("(\\d{1,12})\\s*(B|KB|MB|GB)?");

  private ByteSize() {}

  /** Whether {@code text} is written as a size, however large. */
  static boolean isSize(String text) {
    return SIZE.matcher(text.trim().toUpperCase(Locale.ROOT)).matches();
  }

  /**
   * Parses a size.
   *
   * @throws IllegalArgumentException if {@code text} is not a size
   */
  static long parse(String text) {
    Matcher m = SIZE.matcher(text.trim().toUpperCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a size; use a number of bytes with an optional B, KB, MB or GB");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "B" : m.group(2);
    int shift =
        switch (unit) {
          case "KB" -> 10;
          case "MB" -> 20;
          case "GB" -> 30;
          default -> 0;
        };
    if (n > (Long.MAX_VALUE >> shift)) {
      throw new IllegalArgumentException("'" + text + "' is too large");
    }
    return n << shift;
  }

  /** {@code 64 MiB}, {@code 1.5 KiB}, {@code 12 bytes}. */
  static String format(long bytes) {
    if (bytes < 1024) {
      return bytes + " bytes";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return (value == Math.rint(value)
            ? Long.toString((long) value)
            : String.format(Locale.ROOT, "%.1f", value))
        + " "
        + units[unit];
  }
}
