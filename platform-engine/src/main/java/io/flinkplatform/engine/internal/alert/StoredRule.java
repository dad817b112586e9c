package io.flinkplatform.engine.internal.alert;

import io.flinkplatform.engine.alert.AlertRule;
import io.flinkplatform.engine.internal.store.AlertRuleRow;

/** A rule as stored: its row id and workspace with the rule. */
public record StoredRule(long id, String workspace, AlertRule rule) {
  public static StoredRule of(AlertRuleRow row) {
    return new StoredRule(row.id, row.workspace, RuleJson.read(row.spec));
  }
}
