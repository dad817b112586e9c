package io.flinkplatform.engine.internal.alert;

import io.flinkplatform.engine.alert.AlertRule;
import io.flinkplatform.engine.alert.AlertSettings;
import io.flinkplatform.engine.alert.DeliveryState;
import io.flinkplatform.engine.internal.store.AlertChannelRow;
import io.flinkplatform.engine.internal.store.AlertDeliveryRow;
import io.flinkplatform.engine.internal.store.AlertRow;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.internal.store.StoreMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The statements of delivery, each call one transaction: which deliveries are due (a plain read, so
 * that an idle outbox costs no write transaction), the claim (silences and rate limits decided
 * under the claim's locks), the digests of held alerts, and the fenced mark of a send's outcome.
 *
 * <p>A claim's lease is kept on the database's clock, read in the statement, like an attempt's
 * (docs/cluster.md): instances with skewed clocks agree on when it lapsed. Due times ({@code
 * next_at}, rate-limit windows) follow the instance's clock, as retry backoff does.
 */
final class Outbox {
  /** Longest error kept in {@code last_error} and the attempt row (the columns' size). */
  static final int MAX_ERROR = 2000;

  /**
   * A delivery claimed for a send: the row after the claim, its alert and channel (or null), and
   * {@code System.nanoTime()} before the claim's transaction began (its lease ends later).
   */
  record Claimed(
      AlertDeliveryRow delivery, AlertRow alert, AlertChannelRow channel, long claimedNanos) {}

  private final Store store;
  private final String owner;
  private final AlertSettings settings;

  Outbox(Store store, String owner, AlertSettings settings) {
    this.store = store;
    this.owner = owner;
    this.settings = settings;
  }

  /** The states (PENDING, HELD) of due deliveries, without a lock or a write. */
  List<String> due(long now, int limit) {
    return store.tx(
        "look for due alert deliveries", m -> m.selectDueAlertDeliveryStates(now, limit));
  }

  /**
   * Claims up to {@code limit} due deliveries in one transaction: a silenced one becomes SILENCED,
   * one inside its rule's window HELD until the window ends; the others get a new epoch, this
   * instance as owner, a lease and an attempt row, and are returned to be sent.
   */
  List<Claimed> claim(long now, int limit) {
    long claimedNanos = System.nanoTime();
    return store.tx(
        "claim alert deliveries",
        m -> {
          List<AlertDeliveryRow> rows = m.lockDueAlertDeliveries(now, limit);
          Map<Long, AlertRow> alerts = new HashMap<>();
          Map<Long, Duration> limits = new HashMap<>();
          // the windows first, in one order: two claims never wait on each other's in a cycle
          SortedSet<Window> windows = new TreeSet<>();
          for (AlertDeliveryRow d : rows) {
            AlertRow a = alerts.computeIfAbsent(d.alertId, m::selectAlertById);
            Duration l = limits.computeIfAbsent(a.ruleId, id -> rateLimit(m, id));
            if (d.epoch == 0 && !l.isZero()) {
              windows.add(new Window(a.ruleId, a.groupKey));
            }
          }
          for (Window w : windows) {
            m.insertAlertWindowIgnore(w.ruleId(), w.groupKey());
            m.lockAlertWindow(w.ruleId(), w.groupKey());
          }
          List<Claimed> claimed = new ArrayList<>();
          for (AlertDeliveryRow d : rows) {
            AlertRow a = alerts.get(d.alertId);
            if (silenced(m, a, now)) {
              m.endAlertDeliveryUnsent(d.id, DeliveryState.SILENCED.name(), null);
              continue;
            }
            if (d.epoch == 0 && held(m, d, a, limits.get(a.ruleId), now)) {
              continue;
            }
            m.claimAlertDelivery(d.id, owner, settings.lease().toMillis());
            d.epoch++;
            d.attempts++;
            d.owner = owner;
            m.insertAlertAttempt(d.id, d.attempts, owner, d.epoch, now);
            claimed.add(
                new Claimed(
                    d, a, m.selectAlertChannel(d.workspace, d.channelName, false), claimedNanos));
          }
          return claimed;
        });
  }

  /** A rule's rate-limit window of one group, ordered by rule, then group. */
  private record Window(long ruleId, String groupKey) implements Comparable<Window> {
    @Override
    public int compareTo(Window o) {
      int c = Long.compare(ruleId, o.ruleId);
      return c != 0 ? c : groupKey.compareTo(o.groupKey);
    }
  }

  private static boolean silenced(StoreMapper m, AlertRow a, long now) {
    for (Map<String, Object> s : m.selectActiveAlertSilences(a.workspace, now)) {
      Object rule = s.get("rule");
      Object workflow = s.get("workflow");
      if ((rule == null || rule.equals(a.ruleName))
          && (workflow == null
              || (a.workflow != null && Glob.matches(workflow.toString(), a.workflow)))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the rule's rate limit holds the delivery back (then it is HELD until the window ends);
   * otherwise a window opens now when the delivery is the first of its alert to pass. A digest is
   * never held and opens the next window.
   */
  private static boolean held(
      StoreMapper m, AlertDeliveryRow d, AlertRow a, Duration limit, long now) {
    if (limit.isZero()) {
      return false;
    }
    long windowEnd = m.lockAlertWindow(a.ruleId, a.groupKey);
    if (m.countClaimedSiblingDeliveries(d.alertId, d.id) > 0) {
      return false; // another channel's delivery of the alert passed (or opened) the window
    }
    if (a.itemCount == 1 && windowEnd > now) {
      m.holdAlertDelivery(d.id, windowEnd);
      return true;
    }
    m.setAlertWindow(a.ruleId, a.groupKey, now + limit.toMillis());
    return false;
  }

  /** The rule's rate limit; a deleted or unreadable rule has none. */
  private static Duration rateLimit(StoreMapper m, long ruleId) {
    String spec = m.selectAlertRuleSpec(ruleId);
    if (spec == null) {
      return Duration.ZERO;
    }
    try {
      AlertRule rule = RuleJson.read(spec);
      return rule.rateLimit().isNegative() ? Duration.ZERO : rule.rateLimit();
    } catch (RuntimeException e) {
      return Duration.ZERO;
    }
  }

  /** The end of a claimed delivery after a send or the decision not to send. */
  record Outcome(DeliveryState state, long nextAt, String error) {
    static Outcome delivered() {
      return new Outcome(DeliveryState.DELIVERED, 0, null);
    }

    static Outcome retry(long nextAt, String error) {
      return new Outcome(DeliveryState.PENDING, nextAt, error);
    }

    static Outcome failed(String error) {
      return new Outcome(DeliveryState.FAILED, 0, error);
    }
  }

  /**
   * Records the outcome while the claim's epoch holds; false (nothing changed) when another claim
   * took the delivery over meanwhile.
   */
  boolean mark(Claimed c, Outcome o, long now) {
    AlertDeliveryRow d = c.delivery();
    String error = o.error() == null ? null : cut(o.error(), MAX_ERROR);
    return store.tx(
        "record the delivery of alert " + d.alertId + " to channel " + d.channelName,
        m -> {
          long nextAt = o.state() == DeliveryState.PENDING ? o.nextAt() : d.nextAt;
          Long deliveredAt = o.state() == DeliveryState.DELIVERED ? now : null;
          if (m.markAlertDelivery(d.id, d.epoch, o.state().name(), nextAt, deliveredAt, error)
              == 0) {
            return false;
          }
          m.endAlertAttempt(d.id, d.epoch, now, error);
          return true;
        });
  }

  static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 14) + "... (cut here)";
  }
}
