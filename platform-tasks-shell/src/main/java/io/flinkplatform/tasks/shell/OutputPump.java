package io.flinkplatform.tasks.shell;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A daemon thread that reads one output stream of a process line by line (UTF-8) and hands each
 * line to a consumer as it comes. Memory stays bounded: a line longer than {@link #MAX_LINE_CHARS}
 * is handed over in pieces, and the consumer is told which piece starts the line. The stream is
 * read to its end even if the consumer throws, so the process never blocks on a full pipe.
 */
final class OutputPump implements Runnable {
  static final int MAX_LINE_CHARS = 64 * 1024;

  /** Receives the lines of a stream. */
  @FunctionalInterface
  interface Lines {
    /**
     * Takes one line, or one piece of a long line.
     *
     * @param lineStart true for a whole line or the first piece of a long one, false for the pieces
     *     that continue it
     */
    void accept(String text, boolean lineStart);
  }

  private final InputStream in;
  private final Lines consumer;
  private final Thread thread;
  private volatile boolean abandoned;
  private boolean lineStart = true; // only the pump thread reads and writes it

  private OutputPump(InputStream in, String threadName, Lines consumer) {
    this.in = requireNonNull(in, "in is null");
    this.consumer = requireNonNull(consumer, "consumer is null");
    this.thread = new Thread(this, requireNonNull(threadName, "threadName is null"));
    thread.setDaemon(true);
  }

  /** Starts a pump thread named {@code threadName}. */
  static OutputPump start(InputStream in, String threadName, Lines consumer) {
    OutputPump pump = new OutputPump(in, threadName, consumer);
    pump.thread.start();
    return pump;
  }

  @Override
  public void run() {
    try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      StringBuilder line = new StringBuilder();
      char[] buffer = new char[8192];
      int n;
      while ((n = reader.read(buffer)) >= 0) {
        for (int i = 0; i < n; i++) {
          char c = buffer[i];
          if (c == '\n') {
            emit(line, true);
          } else {
            line.append(c);
            if (line.length() >= MAX_LINE_CHARS && !Character.isHighSurrogate(c)) {
              emit(line, false);
            }
          }
        }
      }
      if (line.length() > 0) {
        emit(line, true);
      }
    } catch (IOException e) {
      // The stream was closed under us: the process is gone; nothing more to read.
    }
  }

  /**
   * Hands {@code line} over and empties it.
   *
   * @param endsLine whether a line ends here (else the next piece continues this line)
   */
  private void emit(StringBuilder line, boolean endsLine) {
    boolean start = lineStart;
    lineStart = endsLine;
    int end = line.length();
    if (end > 0 && line.charAt(end - 1) == '\r') {
      end--;
    }
    String text = line.substring(0, end);
    line.setLength(0);
    if (abandoned) {
      return;
    }
    try {
      consumer.accept(text, start);
    } catch (RuntimeException e) {
      // Keep reading: a process whose output is not drained blocks on a full pipe.
    }
  }

  /** Waits until {@code deadline} ({@link System#nanoTime()}) for the end of the stream. */
  boolean awaitEnd(long deadline) throws InterruptedException {
    long millis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    if (millis > 0) {
      thread.join(millis);
    }
    return !thread.isAlive();
  }

  /**
   * Stops handing lines to the consumer. The thread goes on draining the stream until its end,
   * which comes when the last process holding the stream's other end exits.
   */
  void abandon() {
    abandoned = true;
  }
}
