package io.flinkplatform.engine.internal.alert;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.ConflictException;
import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.NotFoundException;
import io.flinkplatform.engine.access.Action;
import io.flinkplatform.engine.alert.AlertPage;
import io.flinkplatform.engine.alert.AlertQuery;
import io.flinkplatform.engine.alert.AlertRecord;
import io.flinkplatform.engine.alert.AlertRule;
import io.flinkplatform.engine.alert.Alerts;
import io.flinkplatform.engine.alert.ChannelInfo;
import io.flinkplatform.engine.alert.ChannelSpec;
import io.flinkplatform.engine.alert.ChannelType;
import io.flinkplatform.engine.alert.Silence;
import io.flinkplatform.engine.alert.SilenceSpec;
import io.flinkplatform.engine.internal.access.Access;
import io.flinkplatform.engine.internal.access.Caller;
import io.flinkplatform.engine.internal.store.AlertChannelRow;
import io.flinkplatform.engine.internal.store.AlertRuleRow;
import io.flinkplatform.engine.internal.store.Store;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** {@link Alerts} of one caller's workspace: checks the role, then reads or changes with audit. */
final class WorkspaceAlerts implements Alerts {
  private final Store store;
  private final Access access;
  private final ChannelRegistry registry;
  private final ChannelBook book;
  private final Clock clock;
  private final SilenceBook silences;
  private final Caller caller;
  private final String ws;

  WorkspaceAlerts(
      Store store,
      Access access,
      ChannelRegistry registry,
      ChannelBook book,
      Clock clock,
      Caller caller,
      Runnable rulesChanged) {
    this.rulesChanged = rulesChanged;
    this.store = store;
    this.access = access;
    this.registry = registry;
    this.book = book;
    this.clock = clock;
    this.silences = new SilenceBook(store, access, clock);
    this.caller = caller;
    this.ws = caller.workspace();
  }

  /** Tells this instance's raiser to read the rules again (others see it within ruleRefresh). */
  private final Runnable rulesChanged;

  private void may(Action action) {
    access.require(caller, action);
  }

  @Override
  public List<ChannelType> channelTypes() {
    may(Action.READ);
    return registry.all().stream()
        .map(c -> new ChannelType(c.type(), c.description(), c.options()))
        .toList();
  }

  @Override
  public ChannelInfo putChannel(ChannelSpec spec) {
    may(Action.ALERT_CHANNEL_SAVE);
    requireNonNull(spec, "spec is null");
    Map<String, Object> converted = book.converted(spec);
    return store.tx(
        "save alert channel '" + spec.name() + "'",
        m -> {
          AlertChannelRow old = m.selectAlertChannel(ws, spec.name(), true);
          AlertChannelRow row = new AlertChannelRow();
          row.workspace = ws;
          row.name = spec.name();
          row.type = spec.type();
          row.options = book.toStore(ws, spec, converted, old);
          row.updatedBy = caller.name();
          row.updatedAt = clock.millis();
          m.upsertAlertChannel(row);
          // option names only: the values may be secrets
          access.audit(
              m,
              caller,
              Action.ALERT_CHANNEL_SAVE,
              "alert-channel:" + spec.name(),
              (old == null ? "created" : "replaced")
                  + ", type "
                  + spec.type()
                  + ", options "
                  + ChannelBook.read(row.options).keySet());
          return book.info(row);
        });
  }

  @Override
  public List<ChannelInfo> channels() {
    may(Action.READ);
    return store.tx("read alert channels", m -> m.selectAlertChannels(ws)).stream()
        .map(book::info)
        .toList();
  }

  @Override
  public void deleteChannel(String name) {
    may(Action.ALERT_CHANNEL_DELETE);
    Names.name("name", "channel", name);
    store.tx(
        "delete alert channel '" + name + "'",
        m -> {
          if (m.selectAlertChannel(ws, name, true) == null) {
            throw new NotFoundException(
                "there is no alert channel '" + name + "' in workspace '" + ws + "'");
          }
          List<String> users =
              m.selectAlertRules(ws).stream()
                  .filter(r -> RuleJson.read(r.spec).channels().contains(name))
                  .map(r -> r.name)
                  .toList();
          if (!users.isEmpty()) {
            throw new ConflictException(
                "alert channel '"
                    + name
                    + "' is used by the rule(s) "
                    + users
                    + "; change or delete them first",
                null);
          }
          m.deleteAlertChannel(ws, name);
          access.audit(m, caller, Action.ALERT_CHANNEL_DELETE, "alert-channel:" + name, "deleted");
          return null;
        });
  }

  @Override
  public AlertRecord test(String channel) {
    may(Action.ALERT_TEST);
    Names.name("channel", "channel", channel);
    return store.tx(
        "send a test alert through channel '" + channel + "'",
        m -> {
          if (m.selectAlertChannel(ws, channel, false) == null) {
            throw new NotFoundException(
                "there is no alert channel '" + channel + "' in workspace '" + ws + "'");
          }
          Occurrence o =
              new Occurrence(
                  "test:" + UUID.randomUUID(),
                  null,
                  null,
                  null,
                  Map.of("channel", channel, "actor", caller.name()));
          long id =
              new AlertWriter()
                  .write(StoredRule.test(ws, channel), o, clock.millis(), m)
                  .orElseThrow(() -> new IllegalStateException("a fresh test alert was a repeat"));
          access.audit(
              m, caller, Action.ALERT_TEST, "alert-channel:" + channel, "test alert " + id);
          return AlertHistory.records(m, List.of(m.selectAlert(ws, id))).get(0);
        });
  }

  @Override
  public AlertRule putRule(AlertRule rule) {
    may(Action.ALERT_RULE_SAVE);
    requireNonNull(rule, "rule is null");
    RuleChecks.check(rule);
    String spec = RuleJson.write(rule);
    AlertRule saved =
        store.tx(
            "save alert rule '" + rule.name() + "'",
            m -> {
              for (String c : rule.channels()) {
                // locked: a delete of the channel waits for this save, then sees the rule
                if (m.selectAlertChannel(ws, c, true) == null) {
                  throw new InvalidRequestException(
                      "channels",
                      "there is no alert channel '"
                          + c
                          + "' in workspace '"
                          + ws
                          + "'; its channels: "
                          + m.selectAlertChannels(ws).stream().map(r -> r.name).toList());
                }
              }
              AlertRuleRow old = m.selectAlertRule(ws, rule.name());
              AlertRuleRow row = new AlertRuleRow();
              row.workspace = ws;
              row.name = rule.name();
              row.kind = rule.kind().name();
              row.spec = spec;
              row.enabled = rule.enabled();
              row.updatedBy = caller.name();
              row.updatedAt = clock.millis();
              m.upsertAlertRule(row);
              access.audit(
                  m,
                  caller,
                  Action.ALERT_RULE_SAVE,
                  "alert-rule:" + rule.name(),
                  (old == null ? "created" : "replaced")
                      + ", kind "
                      + rule.kind()
                      + ", channels "
                      + rule.channels()
                      + (rule.enabled() ? "" : ", disabled")
                      + ", spec "
                      + Access.fingerprint(spec));
              return RuleJson.read(spec);
            });
    rulesChanged.run();
    return saved;
  }

  @Override
  public List<AlertRule> rules() {
    may(Action.READ);
    return store.tx("read alert rules", m -> m.selectAlertRules(ws)).stream()
        .map(r -> RuleJson.read(r.spec))
        .toList();
  }

  @Override
  public Optional<AlertRule> rule(String name) {
    may(Action.READ);
    Names.name("name", "rule", name);
    return Optional.ofNullable(
            store.tx("read alert rule '" + name + "'", m -> m.selectAlertRule(ws, name)))
        .map(r -> RuleJson.read(r.spec));
  }

  @Override
  public void deleteRule(String name) {
    may(Action.ALERT_RULE_DELETE);
    Names.name("name", "rule", name);
    store.tx(
        "delete alert rule '" + name + "'",
        m -> {
          if (m.deleteAlertRule(ws, name) == 0) {
            throw new NotFoundException(
                "there is no alert rule '" + name + "' in workspace '" + ws + "'");
          }
          // its alerts stay in the history under its name
          access.audit(m, caller, Action.ALERT_RULE_DELETE, "alert-rule:" + name, "deleted");
          return null;
        });
    rulesChanged.run();
  }

  @Override
  public Silence silence(SilenceSpec spec) {
    may(Action.ALERT_SILENCE);
    return silences.create(caller, requireNonNull(spec, "spec is null"));
  }

  @Override
  public List<Silence> silences() {
    may(Action.READ);
    return silences.recent(ws);
  }

  @Override
  public void endSilence(long id) {
    may(Action.ALERT_SILENCE_END);
    silences.end(caller, id);
  }

  @Override
  public AlertPage history(AlertQuery query) {
    may(Action.READ);
    requireNonNull(query, "query is null");
    return store.tx("read alert history", m -> AlertHistory.page(m, ws, query));
  }

  @Override
  public Optional<AlertRecord> alert(long id) {
    may(Action.READ);
    return store.tx(
        "read alert " + id,
        m ->
            Optional.ofNullable(m.selectAlert(ws, id))
                .map(r -> AlertHistory.records(m, List.of(r)).get(0)));
  }
}
