package io.flinkplatform.engine.internal.console;

import io.flinkplatform.engine.run.Overview;
import io.flinkplatform.engine.run.RunState;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The workspace's overview ({@code /w/{ws}/}): runs by state per hour over the last 24 h as a
 * stacked bar chart, what runs now, the failures of the last 24 h, the queue depth (READY
 * attempts), live instances and lagging schedules. The body refreshes itself every 10 s.
 */
final class OverviewPage {
  static final String PATH = "/w/{ws}/";
  static final String LIVE = "/w/{ws}/overview/live";
  private static final DateTimeFormatter HOUR =
      DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

  /** Bar colours of the chart, in stacking order. */
  private static final List<RunState> STACK =
      List.of(
          RunState.SUCCESS,
          RunState.FAILED,
          RunState.KILLED,
          RunState.RUNNING,
          RunState.KILLING,
          RunState.CREATED);

  private OverviewPage() {}

  static void register(PageRouter router) {
    router.add(PATH, c -> Layout.page(c, "Overview of " + c.ws(), live(c)));
    router.add(LIVE, OverviewPage::live);
  }

  static String live(PageContext c) {
    Overview o = c.client().overview();
    StringBuilder b = new StringBuilder();
    b.append("<div id=\"overview\" hx-get=\"")
        .append(c.wsLink("/overview/live"))
        .append("\" hx-trigger=\"every 10s\" hx-swap=\"outerHTML\">");
    b.append("<div class=\"cards\">");
    card(b, "Running now", o.runningCount(), c.wsLink("/runs?state=RUNNING"));
    card(b, "Failures, last 24 h", o.failureCount(), c.wsLink("/runs?state=FAILED"));
    card(b, "Queue depth (ready tasks)", o.queueDepth(), null);
    card(b, "Live instances", o.liveInstances(), c.link("/instances"));
    card(b, "Lagging schedules", o.lagging().size(), c.wsLink("/schedules"));
    b.append("</div>");
    b.append("<h2>Runs by state, last 24 h</h2>").append(chart(o));
    if (!o.readyByPriority().isEmpty()) {
      b.append("<p class=\"muted\">Ready tasks by priority: ");
      o.readyByPriority().entrySet().stream()
          .sorted(java.util.Map.Entry.comparingByKey(java.util.Comparator.reverseOrder()))
          .forEach(
              e ->
                  b.append("<span class=\"pill\">")
                      .append(e.getKey())
                      .append(": ")
                      .append(e.getValue())
                      .append("</span> "));
      b.append("</p>");
    }
    b.append("<h2>Running now</h2>").append(PageParts.runsTable(c, o.running(), true));
    more(b, o.runningCount(), o.running().size());
    b.append("<h2>Failures of the last 24 h</h2>")
        .append(PageParts.runsTable(c, o.failures(), true));
    more(b, o.failureCount(), o.failures().size());
    b.append("<h2>Schedule lag</h2>");
    if (o.lagging().isEmpty()) {
      b.append("<p class=\"muted\">Every schedule fires on time.</p>");
    } else {
      b.append(
              "<table><thead><tr><th>Schedule</th><th>Workflow</th><th>Due at</th><th>Late by</th>")
          .append("<th>Quarantined</th></tr></thead><tbody>");
      for (Overview.ScheduleLag l : o.lagging()) {
        b.append("<tr><td>")
            .append(PageParts.a(c.wsLink("/schedules/" + Html.url(l.schedule())), l.schedule()))
            .append("</td><td>")
            .append(PageParts.workflowLink(c, l.workflow()))
            .append("</td><td>")
            .append(Html.esc(Html.time(l.nextFireAt())))
            .append("</td><td>")
            .append(Html.esc(Html.duration(l.lag())))
            .append("</td><td>")
            .append(Html.esc(l.quarantine().orElse("")))
            .append("</td></tr>");
      }
      b.append("</tbody></table>");
    }
    b.append("<p class=\"muted\">As of ").append(Html.esc(Html.time(o.at()))).append(".</p>");
    return b.append("</div>").toString();
  }

  private static void more(StringBuilder b, int count, int shown) {
    if (count > shown) {
      b.append("<p class=\"muted\">").append(count - shown).append(" more not listed.</p>");
    }
  }

  private static void card(StringBuilder b, String label, int n, String href) {
    b.append("<div class=\"card\"><div class=\"n\">");
    if (href != null) {
      b.append("<a href=\"").append(href).append("\">").append(n).append("</a>");
    } else {
      b.append(n);
    }
    b.append("</div><div class=\"muted\">").append(Html.esc(label)).append("</div></div>");
  }

  /** The hours as stacked bars, one colour per run state, with a legend. */
  static String chart(Overview o) {
    List<Overview.HourCounts> hours = o.hours();
    int max = Math.max(1, hours.stream().mapToInt(Overview.HourCounts::total).max().orElse(0));
    int barW = 22;
    int gap = 6;
    int left = 36;
    int top = 10;
    int plotH = 140;
    int width = left + Math.max(1, hours.size()) * (barW + gap) + 10;
    int height = top + plotH + 46;
    StringBuilder b = new StringBuilder();
    b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\"")
        .append(" aria-label=\"runs by state per hour\" width=\"")
        .append(width)
        .append("\" height=\"")
        .append(height)
        .append("\" viewBox=\"0 0 ")
        .append(width)
        .append(' ')
        .append(height)
        .append("\">");
    // axis with the maximum
    b.append("<line x1=\"")
        .append(left - 4)
        .append("\" y1=\"")
        .append(top + plotH)
        .append("\" x2=\"")
        .append(width)
        .append("\" y2=\"")
        .append(top + plotH)
        .append("\" stroke=\"#dfe3ea\"/>");
    b.append("<text x=\"")
        .append(left - 8)
        .append("\" y=\"")
        .append(top + 8)
        .append("\" text-anchor=\"end\" font-size=\"10\" fill=\"#6b7385\">")
        .append(max)
        .append("</text><text x=\"")
        .append(left - 8)
        .append("\" y=\"")
        .append(top + plotH)
        .append("\" text-anchor=\"end\" font-size=\"10\" fill=\"#6b7385\">0</text>");
    for (int i = 0; i < hours.size(); i++) {
      Overview.HourCounts h = hours.get(i);
      int x = left + i * (barW + gap);
      double y = top + plotH;
      b.append("<g class=\"hour\" data-hour=\"")
          .append(Html.esc(h.start()))
          .append("\" data-total=\"")
          .append(h.total())
          .append("\"><title>")
          .append(Html.esc(HOUR.format(h.start()) + " UTC: " + describe(h)))
          .append("</title>");
      for (RunState s : STACK) {
        int n = h.byState().getOrDefault(s, 0);
        if (n == 0) {
          continue;
        }
        double hgt = (double) n * plotH / max;
        y -= hgt;
        b.append("<rect x=\"")
            .append(x)
            .append("\" y=\"")
            .append(String.format(Locale.ROOT, "%.1f", y))
            .append("\" width=\"")
            .append(barW)
            .append("\" height=\"")
            .append(String.format(Locale.ROOT, "%.1f", hgt))
            .append("\" fill=\"")
            .append(DagPicture.colours(taskColour(s))[1])
            .append("\" data-state=\"")
            .append(s.name())
            .append("\"/>");
      }
      if (i % 3 == 0) {
        b.append("<text x=\"")
            .append(x + barW / 2)
            .append("\" y=\"")
            .append(top + plotH + 14)
            .append("\" text-anchor=\"middle\" font-size=\"10\" fill=\"#6b7385\">")
            .append(HOUR.format(h.start()))
            .append("</text>");
      }
      b.append("</g>");
    }
    int lx = left;
    for (RunState s : STACK) {
      b.append("<rect x=\"")
          .append(lx)
          .append("\" y=\"")
          .append(top + plotH + 26)
          .append("\" width=\"10\" height=\"10\" fill=\"")
          .append(DagPicture.colours(taskColour(s))[1])
          .append("\"/><text x=\"")
          .append(lx + 14)
          .append("\" y=\"")
          .append(top + plotH + 35)
          .append("\" font-size=\"11\" fill=\"#1d2330\">")
          .append(s.name().toLowerCase(Locale.ROOT))
          .append("</text>");
      lx += 84;
    }
    return b.append("</svg>").toString();
  }

  private static String describe(Overview.HourCounts h) {
    if (h.total() == 0) {
      return "no runs";
    }
    StringBuilder b = new StringBuilder();
    for (RunState s : STACK) {
      int n = h.byState().getOrDefault(s, 0);
      if (n > 0) {
        b.append(b.length() == 0 ? "" : ", ")
            .append(n)
            .append(' ')
            .append(s.name().toLowerCase(Locale.ROOT));
      }
    }
    return b.toString();
  }

  private static io.flinkplatform.engine.run.TaskState taskColour(RunState s) {
    return switch (s) {
      case SUCCESS -> io.flinkplatform.engine.run.TaskState.SUCCESS;
      case FAILED -> io.flinkplatform.engine.run.TaskState.FAILED;
      case KILLED -> io.flinkplatform.engine.run.TaskState.KILLED;
      case RUNNING, KILLING -> io.flinkplatform.engine.run.TaskState.RUNNING;
      case CREATED -> io.flinkplatform.engine.run.TaskState.WAITING;
    };
  }
}
