package io.flinkplatform.tasks.shell;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Collects the outputs a script declares on stdout with lines of the form {@code ##output
 * key=value}. The key is trimmed; the value is everything after the first '=', as is. A later line
 * with the same key wins. At most {@link #MAX_OUTPUTS} distinct keys are kept. Thread-safe.
 */
final class OutputProtocol {
  static final String PREFIX = "##output ";
  static final int MAX_OUTPUTS = 1000;

  private final Map<String, String> outputs = new LinkedHashMap<>();
  private boolean overflowed;

  /**
   * Takes one stdout line; returns a note for the log if the line looked like an output but could
   * not be kept, else {@code null}.
   */
  synchronized String accept(String line) {
    if (!line.startsWith(PREFIX)) {
      return null;
    }
    String declaration = line.substring(PREFIX.length());
    int eq = declaration.indexOf('=');
    String key = eq < 0 ? "" : declaration.substring(0, eq).trim();
    if (key.isEmpty()) {
      return "[shell] ignored a malformed output line; expected '##output key=value'";
    }
    if (!outputs.containsKey(key) && outputs.size() >= MAX_OUTPUTS) {
      if (overflowed) {
        return null;
      }
      overflowed = true;
      return "[shell] more than " + MAX_OUTPUTS + " outputs; further keys are ignored";
    }
    outputs.put(key, declaration.substring(eq + 1));
    return null;
  }

  /** The outputs declared so far. */
  synchronized Map<String, String> outputs() {
    return Map.copyOf(outputs);
  }
}
