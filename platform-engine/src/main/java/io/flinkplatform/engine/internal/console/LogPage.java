package io.flinkplatform.engine.internal.console;

import io.flinkplatform.engine.NotFoundException;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.run.LogChunk;
import io.flinkplatform.engine.run.LogRange;
import io.flinkplatform.engine.run.TaskAttempt;

/**
 * A task attempt's log ({@code /w/{ws}/runs/{runId}/attempts/{attemptId}/log}): its tail, then,
 * while the attempt runs, what it writes next (htmx polls {@code .../log/follow?offset=} every 2 s
 * and appends), and a link to download the whole log.
 */
final class LogPage {
  static final String PATH = "/w/{ws}/runs/{runId}/attempts/{attemptId}/log";
  static final String FOLLOW = "/w/{ws}/runs/{runId}/attempts/{attemptId}/log/follow";
  static final int TAIL = 64 * 1024;

  private LogPage() {}

  static void register(PageRouter router) {
    router.add(PATH, LogPage::render);
    router.add(FOLLOW, LogPage::follow);
  }

  /** The attempt, which must be one of the run's (so a path cannot mix runs and attempts). */
  static TaskAttempt attempt(PlatformClient client, long runId, long attemptId) {
    return client.attempts(runId).stream()
        .filter(a -> a.id() == attemptId)
        .findFirst()
        .orElseThrow(() -> new NotFoundException("run " + runId + " has no attempt " + attemptId));
  }

  static String render(PageContext c) {
    long runId = RunPage.runId(c);
    long attemptId = RunPage.id("attemptId", c.param("attemptId"));
    PlatformClient client = c.client();
    TaskAttempt a = attempt(client, runId, attemptId);
    LogChunk chunk = client.log(attemptId, LogRange.tail(TAIL));
    StringBuilder b = new StringBuilder();
    b.append("<p class=\"row\">")
        .append(PageParts.a(c.wsLink("/runs/" + runId), "← run " + runId))
        .append(" ")
        .append(PageParts.state(a.state()))
        .append(" <span class=\"muted\">attempt ")
        .append(a.attempt())
        .append(a.owner().map(o -> " on " + Html.esc(o)).orElse(""))
        .append("</span> <a data-action=\"download\" href=\"")
        .append(c.api("/runs/" + runId + "/attempts/" + attemptId + "/log/download"))
        .append("\">Download</a></p>");
    if (chunk.start() > 0) {
      b.append("<p class=\"muted\">The first ")
          .append(chunk.start())
          .append(" bytes are not shown: download the whole log.</p>");
    }
    b.append("<pre class=\"log\" id=\"log\">").append(Html.esc(chunk.text()));
    b.append(follower(c, runId, attemptId, chunk.end(), a.state().isFinal() && !chunk.hasMore()));
    if (chunk.size() == 0 && a.state().isFinal()) {
      b.append("<span class=\"muted\">(empty log)</span>");
    }
    b.append("</pre>");
    return Layout.page(c, "Log of " + a.taskId() + " in run " + runId, b.toString());
  }

  /** What the log has after {@code offset}, and a follower for more while the attempt runs. */
  static String follow(PageContext c) {
    long runId = RunPage.runId(c);
    long attemptId = RunPage.id("attemptId", c.param("attemptId"));
    long offset = offset(c.query("offset").orElse("0"));
    PlatformClient client = c.client();
    TaskAttempt a = attempt(client, runId, attemptId);
    LogChunk chunk = client.log(attemptId, LogRange.from(offset, TAIL));
    return "<span>"
        + Html.esc(chunk.text())
        + "</span>"
        + follower(c, runId, attemptId, chunk.end(), a.state().isFinal() && !chunk.hasMore());
  }

  private static long offset(String v) {
    try {
      long n = Long.parseLong(v);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new io.flinkplatform.engine.InvalidRequestException(
        "offset", "offset must be a number >= 0, was " + v);
  }

  private static String follower(
      PageContext c, long runId, long attemptId, long offset, boolean done) {
    if (done) {
      return "";
    }
    return "<span class=\"follow\" hx-get=\""
        + c.wsLink("/runs/" + runId + "/attempts/" + attemptId + "/log/follow?offset=" + offset)
        + "\" hx-trigger=\"every 2s\" hx-swap=\"outerHTML\"></span>";
  }
}
