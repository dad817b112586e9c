package io.flinkplatform.engine.internal.alert;

import com.google.common.hash.Hashing;
import io.flinkplatform.engine.alert.AlertRule;
import io.flinkplatform.engine.internal.common.Json;
import io.flinkplatform.engine.internal.store.AlertRow;
import io.flinkplatform.engine.internal.store.StoreMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the alert of one rule for one occurrence, and a PENDING delivery per channel of the rule,
 * inside the caller's transaction. The same (rule, dedup key) is written once: a second write (a
 * retried transaction, another instance seeing the same thing) inserts nothing.
 */
public final class AlertWriter {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");

  /** Longest title stored (the column's size). */
  static final int MAX_TITLE = 500;

  /** Longest text stored; a longer one is cut with a note. */
  static final int MAX_TEXT = 20_000;

  /**
   * Writes the alert unless it exists.
   *
   * @return the new alert's id, or empty when the rule had already raised this occurrence
   */
  public OptionalLong write(StoredRule stored, Occurrence o, long now, StoreMapper m) {
    AlertRule rule = stored.rule();
    Map<String, String> facts = new LinkedHashMap<>(o.facts());
    facts.putIfAbsent("workspace", stored.workspace());
    facts.putIfAbsent("rule", rule.name());
    facts.putIfAbsent("kind", rule.kind().name());
    facts.putIfAbsent("severity", rule.severity().name());
    if (o.link() != null) {
      facts.putIfAbsent("link", o.link());
    }
    AlertRow row = new AlertRow();
    row.workspace = stored.workspace();
    row.ruleId = stored.id();
    row.ruleName = rule.name();
    row.kind = rule.kind().name();
    row.severity = rule.severity().name();
    row.dedupKey = cut(o.dedupKey(), 191);
    row.groupKey = cut(o.workflow() == null ? "-" : o.workflow(), 191);
    row.idempotencyKey = idempotencyKey(stored, row.dedupKey);
    row.title =
        cut("[" + rule.severity() + "] " + render(Templates.title(rule.kind()), facts), MAX_TITLE);
    String template = rule.template() != null ? rule.template() : Templates.text(rule.kind());
    // without a console address the default texts' {link} renders as nothing, not as itself
    Map<String, String> shown = facts;
    if (!facts.containsKey("link")) {
      shown = new LinkedHashMap<>(facts);
      shown.put("link", "");
    }
    row.text = cut(render(template, shown).stripTrailing(), MAX_TEXT);
    row.link = o.link();
    row.facts = Json.write(facts);
    row.workflow = o.workflow();
    row.runId = o.runId();
    row.raisedAt = now;
    if (m.insertAlertIgnore(row) == 0) {
      return OptionalLong.empty();
    }
    if (!rule.channels().isEmpty()) { // a stored rule is checked to have one; an empty IN is no SQL
      m.insertAlertDeliveries(row.id, row.workspace, rule.channels(), now);
    }
    return OptionalLong.of(row.id);
  }

  /**
   * The key every delivery of the alert carries: a hash of what makes it one, so that it is the
   * same whichever instance or transaction wrote it.
   */
  static String idempotencyKey(StoredRule stored, String dedupKey) {
    return idempotencyKey(stored.workspace(), stored.id(), dedupKey);
  }

  /** The key of the alert of rule {@code ruleId} for {@code dedupKey} (digests use it too). */
  static String idempotencyKey(String workspace, long ruleId, String dedupKey) {
    return "fp-"
        + Hashing.sha256()
            .hashString(workspace + "\n" + ruleId + "\n" + dedupKey, StandardCharsets.UTF_8)
            .toString()
            .substring(0, 40);
  }

  /** {@code template} with every {@code {fact}} replaced; unknown placeholders stay as they are. */
  public static String render(String template, Map<String, String> facts) {
    Matcher mt = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (mt.find()) {
      String v = facts.get(mt.group(1));
      mt.appendReplacement(out, Matcher.quoteReplacement(v != null ? v : mt.group()));
    }
    mt.appendTail(out);
    return out.toString();
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 14) + "... (cut here)";
  }
}
