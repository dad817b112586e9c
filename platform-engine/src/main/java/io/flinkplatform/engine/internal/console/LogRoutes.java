package io.flinkplatform.engine.internal.console;

import io.flinkplatform.engine.NotFoundException;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.access.Action;
import io.flinkplatform.engine.run.LogChunk;
import io.flinkplatform.engine.run.LogRange;
import io.flinkplatform.engine.run.TaskAttempt;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Task logs: a bounded JSON chunk (the tail, or a range from an offset to follow a running task)
 * and a download of the whole log. Both read through the caller's client by attempt id, after
 * checking that the attempt belongs to the path's run; no file path comes from the request.
 */
final class LogRoutes {
  /** The largest chunk one call returns. */
  static final int MAX_CHUNK = 1 << 20;

  /** The chunk when the caller gives no {@code max}. */
  static final int DEFAULT_CHUNK = 64 << 10;

  /** The most a download returns; longer logs end with a note saying where to read on. */
  static final long MAX_DOWNLOAD = 64L << 20;

  private LogRoutes() {}

  static void register(Routes routes) {
    routes
        .get("/workspaces/{ws}/runs/{runId}/attempts/{attemptId}/log")
        .needs(Action.READ)
        .tag("runs")
        .summary(
            "A chunk of an attempt's log: {text, start, end, size}; follow a running task with"
                + " offset=end")
        .query("offset", "the first byte to read; without it, the log's last max bytes")
        .query(
            "max",
            "at most this many bytes, "
                + LogRange.MIN_BYTES
                + " to "
                + MAX_CHUNK
                + " (default "
                + DEFAULT_CHUNK
                + ")")
        .handle(
            c -> {
              TaskAttempt a = attempt(c);
              int max = c.intQuery("max", DEFAULT_CHUNK, LogRange.MIN_BYTES, MAX_CHUNK);
              LogRange range =
                  c.query("offset").isPresent()
                      ? LogRange.from(c.intQuery("offset", 0, 0, Integer.MAX_VALUE), max)
                      : LogRange.tail(max);
              return c.client().log(a.id(), range);
            });
    routes
        .get("/workspaces/{ws}/runs/{runId}/attempts/{attemptId}/log/download")
        .needs(Action.READ)
        .tag("runs")
        .summary("An attempt's whole log as text/plain (at most 64 MiB)")
        .handle(
            c -> {
              TaskAttempt a = attempt(c);
              return new Route.Download(
                  "text/plain; charset=utf-8",
                  "run-" + a.runId() + "-" + a.taskId() + "-" + a.attempt() + ".log",
                  whole(c.client(), a.id()));
            });
  }

  /** The path's attempt, if it is one of the path's run (in the caller's workspace). */
  private static TaskAttempt attempt(Call c) {
    long runId = c.id("runId");
    long attemptId = c.id("attemptId");
    return c.client().attempts(runId).stream()
        .filter(a -> a.id() == attemptId)
        .findFirst()
        .orElseThrow(() -> new NotFoundException("no attempt " + attemptId + " of run " + runId));
  }

  private static byte[] whole(PlatformClient client, long attemptId) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long offset = 0;
    while (true) {
      int want = (int) Math.min(LogRange.MAX_BYTES, MAX_DOWNLOAD - out.size());
      LogChunk chunk =
          client.log(attemptId, LogRange.from(offset, Math.max(want, LogRange.MIN_BYTES)));
      out.writeBytes(chunk.text().getBytes(StandardCharsets.UTF_8));
      if (!chunk.hasMore() || chunk.end() == offset) {
        return out.toByteArray();
      }
      offset = chunk.end();
      if (out.size() >= MAX_DOWNLOAD) {
        out.writeBytes(
            ("\n[the log goes on after byte " + offset + ": read it with ?offset=" + offset + "]\n")
                .getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
      }
    }
  }
}
