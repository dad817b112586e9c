package io.flinkplatform.engine.internal.alert;

import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.NotFoundException;
import io.flinkplatform.engine.access.Action;
import io.flinkplatform.engine.alert.Silence;
import io.flinkplatform.engine.alert.SilenceSpec;
import io.flinkplatform.engine.internal.access.Access;
import io.flinkplatform.engine.internal.access.Caller;
import io.flinkplatform.engine.internal.store.AlertSilenceRow;
import io.flinkplatform.engine.internal.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The silences of a workspace: checked, stored with their audit row, listed and ended. */
final class SilenceBook {
  /** How long ended silences stay in {@link #recent}. */
  static final Duration ENDED_SHOWN = Duration.ofDays(7);

  private final Store store;
  private final Access access;
  private final Clock clock;

  SilenceBook(Store store, Access access, Clock clock) {
    this.store = store;
    this.access = access;
    this.clock = clock;
  }

  /** Stores a silence of the caller's workspace, with its audit row. */
  Silence create(Caller caller, SilenceSpec spec) {
    String ws = caller.workspace();
    long now = clock.millis();
    RuleChecks.check(spec, Instant.ofEpochMilli(now));
    return store.tx(
        "silence alerts",
        m -> {
          if (spec.rule() != null && m.selectAlertRule(ws, spec.rule()) == null) {
            throw new InvalidRequestException(
                "rule", "there is no alert rule '" + spec.rule() + "' in workspace '" + ws + "'");
          }
          AlertSilenceRow row = new AlertSilenceRow();
          row.workspace = ws;
          row.ruleName = spec.rule();
          row.workflow = spec.workflow();
          row.endsAt = spec.endsAt().toEpochMilli();
          row.reason = spec.reason();
          row.createdBy = caller.name();
          row.createdAt = now;
          m.insertAlertSilence(row);
          access.audit(
              m,
              caller,
              Action.ALERT_SILENCE,
              "alert-silence:" + row.id,
              "rule "
                  + (spec.rule() == null ? "*" : spec.rule())
                  + ", workflow "
                  + (spec.workflow() == null ? "*" : spec.workflow())
                  + ", until "
                  + spec.endsAt()
                  + ": "
                  + spec.reason());
          return silence(row);
        });
  }

  /** The silences of {@code ws} not over, and those over for less than {@link #ENDED_SHOWN}. */
  List<Silence> recent(String ws) {
    long since = clock.millis() - ENDED_SHOWN.toMillis();
    return store.tx("read alert silences", m -> m.selectAlertSilences(ws, since)).stream()
        .map(SilenceBook::silence)
        .toList();
  }

  /** Ends a silence of the caller's workspace now; one already over stays as it is. */
  void end(Caller caller, long id) {
    String ws = caller.workspace();
    store.tx(
        "end alert silence " + id,
        m -> {
          if (m.selectAlertSilence(ws, id) == null) {
            throw new NotFoundException(
                "there is no alert silence " + id + " in workspace '" + ws + "'");
          }
          // one already over stays as it is: nothing changes, nothing is recorded
          if (m.endAlertSilence(ws, id, caller.name(), clock.millis()) == 1) {
            access.audit(m, caller, Action.ALERT_SILENCE_END, "alert-silence:" + id, "ended");
          }
          return null;
        });
  }

  private static Silence silence(AlertSilenceRow r) {
    return new Silence(
        r.id,
        r.ruleName,
        r.workflow,
        Instant.ofEpochMilli(r.endsAt),
        r.reason,
        r.createdBy,
        Instant.ofEpochMilli(r.createdAt),
        r.endedBy);
  }
}
