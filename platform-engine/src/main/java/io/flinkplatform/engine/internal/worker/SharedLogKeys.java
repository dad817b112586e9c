package io.flinkplatform.engine.internal.worker;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where shipped task logs live in the shared store: {@code
 * logs/<installation>/<runId>/<attempt>.<task>/part-<epoch>-<start>-<end>}. A part holds the bytes
 * {@code [start, end)} that the claim of that epoch wrote (offsets from the claim's first byte).
 * The installation digest keeps databases sharing one store apart; the task id is escaped into a
 * key segment ({@link #segment}).
 */
final class SharedLogKeys {
  static final String ROOT = "logs";
  private static final Pattern PART =
      Pattern.compile("part-([0-9]{1,19})-([0-9]{1,19})-([0-9]{1,19})");

  /** The longest escaped task id kept whole (a key segment holds at most 191 characters). */
  private static final int MAX_SEGMENT = 160;

  private SharedLogKeys() {}

  /** A part of a shipped log, parsed from its key's last segment. */
  record Part(String key, long epoch, long start, long end) {}

  static String installation(String digest) {
    return ROOT + "/" + digest;
  }

  static String run(String digest, long runId) {
    return installation(digest) + "/" + runId;
  }

  static String attempt(String digest, long runId, String taskId, int attempt) {
    // the attempt number first: a segment must start with a letter or digit, a task id may not
    return run(digest, runId) + "/" + attempt + "." + segment(taskId);
  }

  static String part(String attemptPrefix, long epoch, long start, long end) {
    return attemptPrefix + "/part-" + epoch + "-" + start + "-" + end;
  }

  /** The part a key names, or empty for any other key. */
  static Optional<Part> parse(String key) {
    Matcher m = PART.matcher(key.substring(key.lastIndexOf('/') + 1));
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      long start = Long.parseLong(m.group(2));
      long end = Long.parseLong(m.group(3));
      return end < start
          ? Optional.empty()
          : Optional.of(new Part(key, Long.parseLong(m.group(1)), start, end));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The run id of a key under {@link #installation}, or empty. */
  static Optional<Long> runOf(String digest, String key) {
    String base = installation(digest) + "/";
    if (!key.startsWith(base)) {
      return Optional.empty();
    }
    String rest = key.substring(base.length());
    int slash = rest.indexOf('/');
    String id = slash < 0 ? rest : rest.substring(0, slash);
    return id.matches("[0-9]{1,18}") ? Optional.of(Long.parseLong(id)) : Optional.empty();
  }

  /**
   * A task id as the tail of a key segment, one to one: letters, digits and {@code _ - .} stay;
   * every other byte of its UTF-8 becomes {@code =XX}.
   */
  static String segment(String taskId) {
    StringBuilder b = new StringBuilder();
    byte[] bytes = taskId.getBytes(StandardCharsets.UTF_8);
    for (byte x : bytes) {
      int c = x & 0xFF;
      boolean plain =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '-'
              || c == '.';
      if (plain) {
        b.append((char) c);
      } else {
        b.append('=').append(String.format("%02X", c));
      }
    }
    if (b.length() <= MAX_SEGMENT) {
      return b.toString();
    }
    // too long for a key segment: a prefix and a digest of the whole ("==" is never an escape)
    return b.substring(0, MAX_SEGMENT - 34) + "==" + LogDirectoryMark.digest(taskId).substring(13);
  }
}
