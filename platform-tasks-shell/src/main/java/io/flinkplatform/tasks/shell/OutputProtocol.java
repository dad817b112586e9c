package io.flinkplatform.tasks.shell;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Collects the outputs a script declares on stdout with lines of the form {@code ##output
 * key=value}. The key is trimmed; the value is everything after the first '=', as is. A later line
 * with the same key wins. At most {@link #MAX_OUTPUTS} distinct keys are kept. Thread-safe.
 *
 * <p>Only a line that starts at a real line start counts: the pieces a long line is cut into by
 * {@link OutputPump} are never declarations, so text echoed into the middle of a line cannot
 * declare outputs. Memory is bounded: once the keys and values kept take more than {@link
 * #MAX_TOTAL_CHARS} characters, which the platform would refuse anyway, they are dropped, further
 * lines are ignored and {@link #overflow()} says why the attempt fails.
 */
final class OutputProtocol {
  static final String PREFIX = "##output ";
  static final int MAX_OUTPUTS = 1000;

  /**
   * The most characters of keys and values kept. The engine accepts at most 60,000 characters of
   * outputs as JSON (its {@code Executor.MAX_OUTPUTS}), which is never less than this count.
   */
  static final int MAX_TOTAL_CHARS = 60_000;

  private final Map<String, String> outputs = new LinkedHashMap<>();
  private long totalChars;
  private boolean tooManyKeys;
  private boolean tooLarge;

  /**
   * Takes one piece of stdout; returns a note for the log if the line looked like an output but
   * could not be kept, else {@code null}.
   *
   * @param lineStart whether the piece starts a line (false for the continuation pieces of a line
   *     longer than {@link OutputPump#MAX_LINE_CHARS})
   */
  synchronized String accept(String line, boolean lineStart) {
    if (!lineStart || tooLarge || !line.startsWith(PREFIX)) {
      return null;
    }
    String declaration = line.substring(PREFIX.length());
    int eq = declaration.indexOf('=');
    String key = eq < 0 ? "" : declaration.substring(0, eq).trim();
    if (key.isEmpty()) {
      return "[shell] ignored a malformed output line; expected '##output key=value'";
    }
    if (!outputs.containsKey(key) && outputs.size() >= MAX_OUTPUTS) {
      if (tooManyKeys) {
        return null;
      }
      tooManyKeys = true;
      return "[shell] more than " + MAX_OUTPUTS + " outputs; further keys are ignored";
    }
    String value = declaration.substring(eq + 1);
    String old = outputs.put(key, value);
    totalChars += old == null ? key.length() + value.length() : value.length() - old.length();
    if (totalChars > MAX_TOTAL_CHARS) {
      tooLarge = true;
      outputs.clear();
      return "[shell] " + overflow() + "; further output lines are ignored";
    }
    return null;
  }

  /** Why the outputs cannot be kept, or {@code null} if they can. */
  synchronized String overflow() {
    return tooLarge
        ? "the ##output lines declare more than "
            + MAX_TOTAL_CHARS
            + " characters of keys and values, the most the platform accepts as a task's outputs"
        : null;
  }

  /** The outputs declared so far (none once {@link #overflow()} is set). */
  synchronized Map<String, String> outputs() {
    return Map.copyOf(outputs);
  }
}
