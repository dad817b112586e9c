package io.flinkplatform.engine.internal.alert;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.alert.AlertKind;
import io.flinkplatform.engine.alert.AlertRule;
import io.flinkplatform.engine.internal.store.AlertRuleRow;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.spi.PluginAlerts;
import io.flinkplatform.spi.Workspaces;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link PluginAlerts} the engine hands plugins: matches the enabled rules of the kind in the
 * workspace (workflow, task and label filters against the facts; for {@link
 * AlertKind#FLINK_CHECKPOINTS_FAILING} also {@code failedCheckpoints >= threshold}) and writes one
 * alert per rule with {@link AlertWriter} (dedup key {@code plugin:<key>}) in a transaction of its
 * own. A database error is logged and counted, never thrown: the plugin calls again on its next
 * poll, and the dedup key makes the repeat harmless.
 */
public final class PluginRaiser implements PluginAlerts {
  private static final Logger LOG = LoggerFactory.getLogger(PluginRaiser.class);

  /** The fact a {@link AlertKind#FLINK_CHECKPOINTS_FAILING} raise carries its count in. */
  public static final String FAILED_CHECKPOINTS = "failedCheckpoints";

  private final Store store;
  private final Clock clock;
  private final AlertWriter writer = new AlertWriter();
  private final AtomicLong failures = new AtomicLong();

  public PluginRaiser(Store store, Clock clock) {
    this.store = requireNonNull(store, "store is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  @Override
  public void raise(String kind, String workspace, String key, Map<String, String> facts) {
    AlertKind k = kind(kind);
    requireNonNull(workspace, "workspace is null");
    requireNonNull(key, "key is null");
    Map<String, String> f =
        new java.util.LinkedHashMap<>(withoutNulls(requireNonNull(facts, "facts is null")));
    // a plugin's message (a Flink job's root cause) is shown like a task's: URL passwords masked,
    // bounded; a link loses any user information
    f.computeIfPresent("message", (k0, v) -> Raising.message(v));
    f.computeIfPresent("link", (k0, v) -> io.flinkplatform.spi.Redaction.url(v));
    Workspaces.problem(workspace)
        .ifPresent(
            p -> {
              throw new IllegalArgumentException("workspace: " + p);
            });
    try {
      int raised =
          store.tx(
              "raise a plugin's " + k + " alert",
              m -> {
                int n = 0;
                long now = clock.millis();
                for (AlertRuleRow row : m.selectEnabledAlertRules(List.of(k.name()))) {
                  if (!row.workspace.equals(workspace)) {
                    continue;
                  }
                  StoredRule rule = readable(row);
                  if (rule != null && matches(rule.rule(), f)) {
                    Occurrence o =
                        new Occurrence(
                            "plugin:" + key, f.get("workflow"), runId(f), f.get("link"), f);
                    n += writer.write(rule, o, now, m).isPresent() ? 1 : 0;
                  }
                }
                return n;
              });
      if (raised > 0) {
        LOG.info("{} alert {} of {} raised for {} rule(s)", k, key, workspace, raised);
      }
    } catch (RuntimeException e) {
      failures.incrementAndGet();
      LOG.warn(
          "could not raise the {} alert {} of {} (the plugin raises it again on its next poll): {}",
          k,
          key,
          workspace,
          e.toString());
    }
  }

  /** How many raises failed on a database error since the start. */
  public long failures() {
    return failures.get();
  }

  /** Whether {@code rule}'s filters accept {@code facts}. */
  static boolean matches(AlertRule rule, Map<String, String> facts) {
    if (!Glob.matches(rule.workflow(), facts.get("workflow"))
        || !Glob.matches(rule.task(), facts.get("task"))
        || (rule.label() != null && !rule.label().equals(facts.get("label")))) {
      return false;
    }
    if (rule.kind() == AlertKind.FLINK_CHECKPOINTS_FAILING) {
      try {
        String n = facts.get(FAILED_CHECKPOINTS);
        return n != null && Integer.parseInt(n.trim()) >= rule.threshold();
      } catch (NumberFormatException e) {
        return false;
      }
    }
    return true;
  }

  private static AlertKind kind(String kind) {
    try {
      return AlertKind.valueOf(requireNonNull(kind, "kind is null"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "kind: unknown alert kind '"
              + kind
              + "'; known kinds: "
              + Arrays.toString(AlertKind.values()),
          e);
    }
  }

  private static StoredRule readable(AlertRuleRow row) {
    try {
      return StoredRule.of(row);
    } catch (RuntimeException e) {
      LOG.warn("alert rule {} of {} is not readable; skipped: {}", row.name, row.workspace, e);
      return null;
    }
  }

  private static Map<String, String> withoutNulls(Map<String, String> facts) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    facts.forEach(
        (k, v) -> {
          if (k != null && v != null) {
            out.put(k, v);
          }
        });
    return Map.copyOf(out);
  }

  private static Long runId(Map<String, String> facts) {
    try {
      String run = facts.get("run");
      return run == null ? null : Long.valueOf(run.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
