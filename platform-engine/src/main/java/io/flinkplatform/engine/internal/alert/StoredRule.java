package io.flinkplatform.engine.internal.alert;

import io.flinkplatform.engine.alert.AlertKind;
import io.flinkplatform.engine.alert.AlertRule;
import io.flinkplatform.engine.internal.store.AlertRuleRow;
import java.time.Duration;

/**
 * A rule as stored: its row id and workspace with the rule.
 *
 * @param id the row's id, or {@link #TEST_ID} for the rule of a test send ({@code Alerts.test}),
 *     which has no row
 */
public record StoredRule(long id, String workspace, AlertRule rule) {
  /** The rule id of test alerts: no row of t_alert_rule has it (ids start at 1). */
  public static final long TEST_ID = 0;

  /** The rule name test alerts are stored and sent with. */
  public static final String TEST_NAME = "test";

  public static StoredRule of(AlertRuleRow row) {
    return new StoredRule(row.id, row.workspace, RuleJson.read(row.spec));
  }

  /** The rule of a test send to {@code channel}: kind TEST, no rate limit, that channel only. */
  public static StoredRule test(String workspace, String channel) {
    return new StoredRule(
        TEST_ID,
        workspace,
        AlertRule.on(TEST_NAME, AlertKind.TEST).channels(channel).rateLimit(Duration.ZERO).build());
  }
}
