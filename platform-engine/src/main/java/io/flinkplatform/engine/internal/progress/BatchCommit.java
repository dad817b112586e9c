package io.flinkplatform.engine.internal.progress;

import io.flinkplatform.engine.internal.alert.AlertRaiser;
import io.flinkplatform.engine.internal.claim.Claim;
import io.flinkplatform.engine.internal.common.Events;
import io.flinkplatform.engine.internal.common.Outage;
import io.flinkplatform.engine.internal.common.Signals;
import io.flinkplatform.engine.internal.progress.Completion.HandBack;
import io.flinkplatform.engine.internal.progress.Completion.Outcome;
import io.flinkplatform.engine.internal.progress.Completion.Release;
import io.flinkplatform.engine.internal.store.Store;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits one batch of the completer's queue in one transaction (outcomes, releases, hand-backs),
 * then reports what it changed: stale outcomes in the log, events, and the signals for ready work
 * and closed runs.
 */
final class BatchCommit {
  private static final Logger LOG = LoggerFactory.getLogger(Completer.class);
  private final Store store;
  private final Progress progress;
  private final Events events;
  private final Clock clock;
  private final Signals signals;
  private final Outage outage;
  private final CompletionQueue queue;
  private final AlertRaiser alerts;

  BatchCommit(
      Store store,
      Progress progress,
      Events events,
      Clock clock,
      Signals signals,
      Outage outage,
      CompletionQueue queue,
      AlertRaiser alerts) {
    this.store = store;
    this.progress = progress;
    this.events = events;
    this.clock = clock;
    this.signals = signals;
    this.outage = outage;
    this.queue = queue;
    this.alerts = alerts;
  }

  void commit(List<Completion> batch) {
    List<Result> results = new ArrayList<>();
    List<Claim> handBacks = new ArrayList<>();
    List<Claim> releases = new ArrayList<>();
    for (Completion c : batch) {
      if (c instanceof Outcome o) {
        results.add(o.result());
      } else if (c instanceof Release r) {
        releases.add(r.claim());
      } else if (c instanceof HandBack h) {
        handBacks.add(h.claim());
      }
    }
    long now = clock.millis();
    Progress.Changes changes =
        store.tx(
            "commit " + results.size() + " outcome(s)",
            m -> {
              Progress.Changes c =
                  results.isEmpty() ? new Progress.Changes() : progress.complete(m, results);
              if (!releases.isEmpty()) {
                progress.release(m, releases, c);
              }
              for (Claim h : handBacks) {
                if (m.handBack(h.id(), h.epoch(), now) > 0) {
                  c.readyAt(now);
                }
              }
              // the alerts of the runs and tasks this batch ended, committed with them
              c.alerted = alerts.raise(m, c.events, now);
              return c;
            });
    outage.recovered();
    queue.settled(results);
    report(changes);
  }

  private void report(Progress.Changes changes) {
    for (Result s : changes.stale) {
      LOG.warn(
          "rejected the outcome {} of {}: its claim (epoch {}) is no longer valid",
          s.state(),
          s.claim().describe(),
          s.claim().epoch());
    }
    if (changes.alreadyApplied > 0) {
      LOG.info(
          "{} outcome(s) were already stored: an earlier commit of them went through although it"
              + " reported a failure",
          changes.alreadyApplied);
    }
    changes.announce(events, signals);
  }
}
