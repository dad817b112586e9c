package io.flinkplatform.tasks.shell;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The last few lines a process printed, for the failure message: a ring buffer of bounded size, fed
 * by both output pumps. Thread-safe.
 */
final class OutputTail {
  /** Lines longer than this are cut in the tail (the log keeps them whole). */
  static final int MAX_LINE_CHARS = 500;

  private final int capacity;
  private final ArrayDeque<String> lines;

  OutputTail(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive but was " + capacity);
    }
    this.capacity = capacity;
    this.lines = new ArrayDeque<>(capacity);
  }

  synchronized void add(String line) {
    if (lines.size() == capacity) {
      lines.removeFirst();
    }
    lines.addLast(line.length() <= MAX_LINE_CHARS ? line : line.substring(0, MAX_LINE_CHARS) + "…");
  }

  synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  /** The lines joined for a message, or {@code "no output"}. */
  String describe() {
    List<String> snapshot = lines();
    return snapshot.isEmpty() ? "no output" : "last output lines:\n" + String.join("\n", snapshot);
  }
}
