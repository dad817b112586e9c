package io.flinkplatform.engine.internal.console;

import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.UnreadableScheduleException;
import io.flinkplatform.engine.access.Action;
import io.flinkplatform.engine.run.Explanation;
import io.flinkplatform.engine.schedule.FireTime;
import io.flinkplatform.engine.schedule.Schedule;
import io.flinkplatform.engine.schedule.ScheduleSpec;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /w/{ws}/schedules}: each schedule with its next fire times (and what daylight saving does
 * to them), its paused state with pause/resume, and why it last skipped; below, the backfills
 * ({@link BackfillsFragment}).
 */
final class SchedulesPage implements Page {
  /** How many upcoming fire times a schedule shows. */
  static final int UPCOMING = 5;

  @Override
  public String render(PageContext c) throws Exception {
    PlatformClient client = c.client();
    Instant now = c.backend().clock().instant();
    StringBuilder b = new StringBuilder();
    List<Schedule> schedules = client.schedules();
    if (schedules.isEmpty()) {
      b.append("<p class=\"muted\">No schedules in this workspace.</p>");
    } else {
      b.append("<table class=\"schedules\"><thead><tr><th>Schedule</th><th>Workflow</th>")
          .append("<th>Cron</th><th>State</th><th>Next fire times</th>")
          .append("<th>Last skip reason</th><th></th></tr></thead><tbody>");
      for (Schedule s : schedules) {
        row(b, c, client, s, now);
      }
      b.append("</tbody></table>");
    }
    b.append("<h2>Backfills</h2>").append(BackfillsFragment.table(c));
    return Layout.page(c, "Schedules", b.toString());
  }

  private static void row(
      StringBuilder b, PageContext c, PlatformClient client, Schedule s, Instant now) {
    ScheduleSpec spec = s.spec();
    String name = spec.name();
    b.append("<tr data-schedule=\"").append(Html.esc(name)).append("\"><td>");
    b.append(Html.esc(name)).append("</td><td><a href=\"");
    b.append(c.wsLink("/workflows/" + Html.url(spec.workflowName()))).append("\">");
    b.append(Html.esc(spec.workflowName())).append("</a></td><td><code>");
    b.append(Html.esc(spec.cron())).append("</code> <span class=\"muted\">");
    b.append(Html.esc(spec.zone().getId())).append("</span></td><td>");
    if (s.paused()) {
      b.append("<span class=\"state state-paused\">paused</span>");
    } else if (s.nextFireTime().isEmpty()) {
      b.append("<span class=\"state state-ended\">ended</span>");
    } else {
      b.append("<span class=\"state state-active\">active</span>");
    }
    b.append("</td><td>").append(upcoming(client, spec, now)).append("</td><td>");
    List<Explanation.Reason> reasons = client.explainSchedule(name);
    if (reasons.isEmpty()) {
      b.append("<span class=\"muted\">none</span>");
    } else {
      b.append("<ul class=\"reasons\">");
      for (Explanation.Reason r : reasons) {
        b.append("<li><code>").append(Html.esc(r.code().name())).append("</code> ");
        b.append(Html.esc(r.detail())).append("</li>");
      }
      b.append("</ul>");
    }
    b.append("</td><td>");
    String path = "/schedules/" + Html.url(name);
    if (s.paused() && c.can(Action.SCHEDULE_RESUME)) {
      b.append(ApiButton.of("POST", c.api(path + "/resume"), "Resume", null, null, null));
    } else if (!s.paused() && c.can(Action.SCHEDULE_PAUSE)) {
      b.append(
          ApiButton.of(
              "POST", c.api(path + "/pause"), "Pause", "Pause schedule " + name + "?", null, null));
    }
    b.append("</td></tr>");
  }

  private static String upcoming(PlatformClient client, ScheduleSpec spec, Instant now) {
    List<FireTime> times;
    try {
      times = client.previewSchedule(spec, now, UPCOMING);
    } catch (UnreadableScheduleException | io.flinkplatform.engine.InvalidRequestException e) {
      return "<span class=\"error\">" + Html.esc(e.getMessage()) + "</span>";
    }
    if (times.isEmpty()) {
      return "<span class=\"muted\">no fire time left</span>";
    }
    List<String> notes = dstNotes(times, spec.zone());
    StringBuilder b = new StringBuilder("<ol class=\"fires\">");
    for (int i = 0; i < times.size(); i++) {
      FireTime f = times.get(i);
      b.append("<li>").append(Html.esc(Html.time(f.instant())));
      b.append(" <span class=\"muted\">(")
          .append(Html.esc(f.wallClock().toString().replace('T', ' ')))
          .append(' ')
          .append(Html.esc(spec.zone().getRules().getOffset(f.instant()).getId()))
          .append(")</span>");
      if (!notes.get(i).isEmpty()) {
        b.append(" <span class=\"dst\">").append(Html.esc(notes.get(i))).append("</span>");
      }
      b.append("</li>");
    }
    return b.append("</ol>").toString();
  }

  /**
   * What daylight saving does to each fire time, "" where nothing: the preview's own note (a local
   * time skipped or doubled by a transition), and a UTC offset that differs from the previous fire
   * time's (a transition between the two).
   */
  static List<String> dstNotes(List<FireTime> times, ZoneId zone) {
    List<String> notes = new ArrayList<>(times.size());
    ZoneOffset previous = null;
    for (FireTime f : times) {
      List<String> parts = new ArrayList<>();
      f.note().ifPresent(parts::add);
      ZoneOffset offset = zone.getRules().getOffset(f.instant());
      if (previous != null && !offset.equals(previous)) {
        parts.add("UTC offset " + previous.getId() + " → " + offset.getId());
      }
      previous = offset;
      notes.add(parts.isEmpty() ? "" : "DST: " + String.join("; ", parts));
    }
    return notes;
  }
}
