package io.flinkplatform.engine.internal.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.NotFoundException;
import io.flinkplatform.engine.access.Action;
import io.flinkplatform.engine.schedule.BackfillRequest;
import io.flinkplatform.engine.schedule.DstGap;
import io.flinkplatform.engine.schedule.DstOverlap;
import io.flinkplatform.engine.schedule.MisfirePolicy;
import io.flinkplatform.engine.schedule.OverlapPolicy;
import io.flinkplatform.engine.schedule.ScheduleSpec;
import java.time.Instant;
import java.util.Map;

/**
 * Schedules and backfills. A schedule's body has the shape a schedule's {@code spec} is answered
 * in, so what {@code GET /schedules/{name}} gives can be edited and sent back.
 */
final class ScheduleRoutes {
  static final String SPEC_BODY =
      "{\"workflowName\": name (required), \"cron\": 5-field Unix or 6/7-field Quartz (required),"
          + " \"zone\": time zone id (default UTC), \"startAt\", \"endAt\": ISO-8601 instants,"
          + " \"dstGap\": "
          + Fields.choices(DstGap.class)
          + ", \"dstOverlap\": "
          + Fields.choices(DstOverlap.class)
          + ", \"misfire\": {\"kind\": "
          + Fields.choices(MisfirePolicy.Kind.class)
          + ", \"limit\": n}, \"misfireThreshold\": ISO-8601 duration, \"overlap\": {\"kind\": "
          + Fields.choices(OverlapPolicy.Kind.class)
          + ", \"maxParallel\": n}, \"parameters\": {name: string}, \"paused\": boolean}";

  private ScheduleRoutes() {}

  static void register(Routes routes) {
    routes
        .get("/workspaces/{ws}/schedules")
        .needs(Action.READ)
        .tag("schedules")
        .summary("Every schedule, by name, with its next and last fire time")
        .handle(c -> c.client().schedules());
    routes
        .get("/workspaces/{ws}/schedules/{name}")
        .needs(Action.READ)
        .tag("schedules")
        .summary("A schedule")
        .handle(
            c ->
                c.client()
                    .schedule(c.path("name"))
                    .orElseThrow(() -> new NotFoundException("no schedule " + c.path("name"))));
    routes
        .put("/workspaces/{ws}/schedules/{name}")
        .needs(Action.SCHEDULE_SAVE)
        .tag("schedules")
        .summary("Create the schedule or replace it (its last fire time is kept)")
        .body(SPEC_BODY)
        .handle(c -> c.client().saveSchedule(spec(c.path("name"), c.body())));
    routes
        .delete("/workspaces/{ws}/schedules/{name}")
        .needs(Action.SCHEDULE_DELETE)
        .tag("schedules")
        .summary("Delete the schedule; its runs stay")
        .handle(
            c -> {
              if (!c.client().deleteSchedule(c.path("name"))) {
                throw new NotFoundException("no schedule " + c.path("name"));
              }
              return null;
            });
    routes
        .post("/workspaces/{ws}/schedules/{name}/pause")
        .needs(Action.SCHEDULE_PAUSE)
        .tag("schedules")
        .summary("Stop firing; missed fire times follow the misfire policy on resume")
        .handle(
            c -> {
              c.client().pauseSchedule(c.path("name"));
              return null;
            });
    routes
        .post("/workspaces/{ws}/schedules/{name}/resume")
        .needs(Action.SCHEDULE_RESUME)
        .tag("schedules")
        .summary("Fire again")
        .handle(
            c -> {
              c.client().resumeSchedule(c.path("name"));
              return null;
            });
    routes
        .get("/workspaces/{ws}/schedules/{name}/explain")
        .needs(Action.READ)
        .tag("schedules")
        .summary("Why the schedule is not starting runs (paused, ended, skipped fire times...)")
        .handle(c -> c.client().explainSchedule(c.path("name")));
    routes
        .post("/workspaces/{ws}/schedules/preview")
        .needs(Action.READ)
        .tag("schedules")
        .summary("The next fire times of a schedule, with daylight-saving notes; saves nothing")
        .body(
            "{\"spec\": a schedule body with \"name\", \"from\": ISO-8601 instant (default now),"
                + " \"count\": 1 to 100 (default 10)}")
        .handle(
            c -> {
              JsonNode b = c.body();
              JsonNode s = Fields.object(b, "spec");
              String name = Fields.text(s, "name", false).orElse("preview");
              Instant from = Fields.instant(b, "from", false).orElse(c.backend().clock().instant());
              int count = Fields.integer(b, "count", 1, 100, false).orElse(10);
              return c.client().previewSchedule(spec(name, s), from, count);
            });
    routes
        .post("/workspaces/{ws}/backfills")
        .needs(Action.BACKFILL)
        .tag("schedules")
        .summary("Start held runs for every logical date of a cron expression in [from, to]")
        .body(
            "{\"workflow\": name, \"from\", \"to\": ISO-8601 instants, \"cron\": expression"
                + " (default daily at midnight), \"zone\": id (default UTC), \"parallelism\": n"
                + " (default 1), \"parameters\": {name: string}}")
        .handle(c -> new Route.Reply(201, Map.of("backfillId", c.client().backfill(backfill(c)))));
    routes
        .get("/workspaces/{ws}/backfills/{backfillId}")
        .needs(Action.READ)
        .tag("schedules")
        .summary("A backfill's progress: its runs by state")
        .handle(c -> c.client().backfillStatus(c.id("backfillId")));
    routes
        .post("/workspaces/{ws}/backfills/{backfillId}/cancel")
        .needs(Action.BACKFILL_CANCEL)
        .tag("schedules")
        .summary("Cancel a backfill: held runs end without starting, active ones are killed")
        .handle(c -> Map.of("cancelled", c.client().cancelBackfill(c.id("backfillId"))));
  }

  /** A schedule spec named {@code name} from a body of {@link #SPEC_BODY}'s shape. */
  static ScheduleSpec spec(String name, JsonNode b) {
    Fields.text(b, "name", false)
        .filter(n -> !n.equals(name))
        .ifPresent(
            n -> {
              throw new InvalidRequestException(
                  "name", "name must be the path's schedule name " + name + ", not " + n);
            });
    ScheduleSpec.Builder s =
        ScheduleSpec.builder(
            name, Fields.text(b, "workflowName", true).get(), Fields.text(b, "cron", true).get());
    Fields.zone(b, "zone", false).ifPresent(s::zone);
    Fields.instant(b, "startAt", false).ifPresent(s::startAt);
    Fields.instant(b, "endAt", false).ifPresent(s::endAt);
    s.dst(
        Fields.constant(b, "dstGap", DstGap.class, false).orElse(DstGap.RUN_AT_NEXT_VALID),
        Fields.constant(b, "dstOverlap", DstOverlap.class, false).orElse(DstOverlap.ONCE));
    if (b.hasNonNull("misfire")) {
      JsonNode m = Fields.object(b, "misfire");
      s.misfire(
          Fields.within(
              "misfire",
              () -> {
                MisfirePolicy.Kind kind =
                    Fields.constant(m, "kind", MisfirePolicy.Kind.class, true).get();
                int limit =
                    Fields.integer(m, "limit", 1, 100_000, kind == MisfirePolicy.Kind.CATCH_UP)
                        .orElse(1);
                return new MisfirePolicy(kind, limit);
              }));
    }
    Fields.duration(b, "misfireThreshold", false).ifPresent(s::misfireThreshold);
    if (b.hasNonNull("overlap")) {
      JsonNode o = Fields.object(b, "overlap");
      s.overlap(
          Fields.within(
              "overlap",
              () ->
                  new OverlapPolicy(
                      Fields.constant(o, "kind", OverlapPolicy.Kind.class, true).get(),
                      Fields.integer(o, "maxParallel", 1, 10_000, false).orElse(1))));
    }
    Fields.strings(b, "parameters").forEach(s::parameter);
    if (b.hasNonNull("paused")) {
      s.paused(Fields.bool(b, "paused"));
    }
    return s.build();
  }

  private static BackfillRequest backfill(Call c) throws Exception {
    JsonNode b = c.body();
    BackfillRequest.Builder r =
        BackfillRequest.builder(Fields.text(b, "workflow", true).get())
            .range(
                Fields.instant(b, "from", true).get(),
                Fields.instant(b, "to", true).get(),
                Fields.text(b, "cron", false).orElse("0 0 * * *"),
                Fields.zone(b, "zone", false).orElse(java.time.ZoneId.of("UTC")));
    r.parallelism(Fields.integer(b, "parallelism", 1, BackfillRequest.MAX_RUNS, false).orElse(1));
    Fields.strings(b, "parameters").forEach(r::parameter);
    return r.build();
  }
}
