package io.flinkplatform.engine.internal.alert;

import static io.flinkplatform.engine.internal.alert.AlertRaisingTest.QUICK_RULES;
import static io.flinkplatform.engine.internal.alert.AlertRaisingTest.on;
import static io.flinkplatform.engine.internal.alert.AlertRaisingTest.raised;
import static io.flinkplatform.engine.internal.alert.AlertRaisingTest.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.flinkplatform.engine.SchemaMode;
import io.flinkplatform.engine.StoreException;
import io.flinkplatform.engine.alert.AlertKind;
import io.flinkplatform.engine.alert.AlertSettings;
import io.flinkplatform.engine.event.PlatformEvent;
import io.flinkplatform.engine.event.PlatformEvent.RunStateChanged;
import io.flinkplatform.engine.event.PlatformEvent.TaskStateChanged;
import io.flinkplatform.engine.internal.common.Events;
import io.flinkplatform.engine.internal.common.Outage;
import io.flinkplatform.engine.internal.common.Signals;
import io.flinkplatform.engine.internal.store.Schema;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.internal.store.StoreMapper;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.testing.ManualClock;
import io.flinkplatform.engine.testing.TestDatabase;
import io.flinkplatform.spi.Workspaces;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.sql.SQLNonTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The raiser on its own against the real database: what it costs when no rule can match, that an
 * alert lives and dies with its transaction, and the database outage alert.
 */
class AlertRaiserTest {
  private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
  private HikariDataSource ds;
  private Store store;

  @BeforeEach
  void setUp() {
    ds = TestDatabase.get().newDatabase();
    Schema.apply(ds, SchemaMode.MIGRATE);
    store = new Store(ds);
  }

  @AfterEach
  void tearDown() {
    ds.close();
  }

  private AlertRaiser raiser(AlertSettings settings) {
    return new AlertRaiser(store, "inst-1", settings, null, (flow, task) -> null);
  }

  /** {@code m} with every statement counted in {@code calls}. */
  private static StoreMapper counting(StoreMapper m, List<String> calls) {
    return (StoreMapper)
        Proxy.newProxyInstance(
            StoreMapper.class.getClassLoader(),
            new Class<?>[] {StoreMapper.class},
            (proxy, method, args) -> {
              calls.add(method.getName());
              try {
                return method.invoke(m, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  /** Raises the failures in a transaction of its own; whether it wrote an alert. */
  private boolean raiseIn(AlertRaiser raiser) {
    Boolean wrote = store.tx("raise", m -> raiser.raise(m, runFailedAndTaskFailed(), 0));
    return wrote;
  }

  private static List<PlatformEvent> runFailedAndTaskFailed() {
    return List.of(
        new TaskStateChanged(T0, 7, "load", 1, TaskState.FAILED, "boom"),
        new RunStateChanged(T0, 7, "etl", RunState.FAILED));
  }

  @Test
  void withNoRuleOfTheEventsKindsRaisingCostsNoStatementOnceTheRulesAreRead() throws Exception {
    rule(ds, Workspaces.DEFAULT, on("ok", AlertKind.RUN_SUCCEEDED).build());
    rule(ds, Workspaces.DEFAULT, on("lost", AlertKind.INSTANCE_LOST).build());
    AlertRaiser raiser = raiser(AlertSettings.defaults()); // rules read every 5 s
    List<String> calls = new ArrayList<>();
    boolean first =
        store.tx("t", m -> raiser.raise(counting(m, calls), runFailedAndTaskFailed(), 0));
    assertThat(first).isFalse();
    assertThat(calls)
        .as("the first raise reads the rules")
        .containsExactly("selectEnabledAlertRules");
    calls.clear();
    for (int i = 0; i < 50; i++) {
      store.tx("t", m -> raiser.raise(counting(m, calls), runFailedAndTaskFailed(), 0));
    }
    assertThat(calls).as("the hot path with no rule of its kinds").isEmpty();
    // events that raise no kind at all never read the rules, even when due
    AlertRaiser fresh = raiser(AlertSettings.defaults());
    store.tx(
        "t",
        m ->
            fresh.raise(
                counting(m, calls),
                List.of(
                    new TaskStateChanged(T0, 7, "load", 1, TaskState.SUCCESS, null),
                    new RunStateChanged(T0, 7, "etl", RunState.RUNNING)),
                0));
    assertThat(calls).isEmpty();
    assertThat(raised(ds)).isEmpty();
  }

  @Test
  void aDisabledRaiserAndNoneRaiseNothingAndReadNothing() {
    List<String> calls = new ArrayList<>();
    store.tx("t", m -> AlertRaiser.NONE.raise(counting(m, calls), runFailedAndTaskFailed(), 0));
    store.tx(
        "t",
        m ->
            raiser(AlertSettings.disabled())
                .raise(counting(m, calls), runFailedAndTaskFailed(), 0));
    assertThat(calls).isEmpty();
  }

  @Test
  void anAlertExistsOnlyIfItsTransactionCommits() throws Exception {
    rule(ds, Workspaces.DEFAULT, on("failed", AlertKind.RUN_FAILED).build());
    AlertRaiser raiser = raiser(QUICK_RULES);
    assertThatThrownBy(
            () ->
                store.tx(
                    "raise, then fail",
                    m -> {
                      assertThat(raiser.raise(m, runFailedAndTaskFailed(), 0)).isTrue();
                      throw new IllegalStateException("the change fails after raising");
                    }))
        .hasMessageContaining("the change fails");
    assertThat(raised(ds)).isEmpty();
    assertThat(raiseIn(raiser)).isTrue();
    // the same change written again (a retried batch that had committed) raises nothing more
    assertThat(raiseIn(raiser)).isFalse();
    assertThat(raised(ds))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.dedupKey()).isEqualTo("run:7:FAILED:" + T0.toEpochMilli());
              assertThat(r.sends()).isEqualTo(2);
            });
  }

  @Test
  void aBrokenStoredRuleNeverHoldsBackTheChange() throws Exception {
    io.flinkplatform.engine.testing.Sql.update(
        ds,
        "INSERT INTO t_alert_rule (workspace, name, kind, spec, enabled, updated_by, updated_at)"
            + " VALUES ('default', 'garbled', 'RUN_FAILED', '{not json', 1, 'test', 0)");
    rule(
        ds,
        Workspaces.DEFAULT,
        io.flinkplatform.engine.alert.AlertRule.on("no-channel", AlertKind.RUN_FAILED).build());
    rule(ds, Workspaces.DEFAULT, on("failed", AlertKind.RUN_FAILED).build());
    assertThat(raiseIn(raiser(QUICK_RULES))).isTrue();
    assertThat(raised(ds))
        .extracting(AlertRaisingTest.Raised::rule, AlertRaisingTest.Raised::sends)
        .containsExactly(
            org.assertj.core.api.Assertions.tuple("no-channel", 0),
            org.assertj.core.api.Assertions.tuple("failed", 2));
  }

  @Test
  void aRuleSavedHereIsSeenAtOnceWhenTheRulesAreSaidToHaveChanged() throws Exception {
    AlertRaiser raiser = raiser(AlertSettings.defaults());
    Signals signals = new Signals();
    signals.onAlertRulesChanged(raiser::rulesChanged);
    assertThat(raiseIn(raiser)).isFalse();
    rule(ds, Workspaces.DEFAULT, on("failed", AlertKind.RUN_FAILED).build());
    signals.alertRulesChanged();
    assertThat(raiseIn(raiser)).isTrue();
  }

  @Test
  void theDatabaseBackAfterLongerThanAfterRaisesOncePerOutage() throws Exception {
    rule(
        ds,
        Workspaces.DEFAULT,
        on("db-1m", AlertKind.DATABASE_UNREACHABLE).after(Duration.ofMinutes(1)).build());
    rule(
        ds,
        "team-b",
        on("db-10m", AlertKind.DATABASE_UNREACHABLE).after(Duration.ofMinutes(10)).build());
    AlertRaiser raiser = raiser(QUICK_RULES);
    Signals signals = new Signals();
    signals.onDatabaseBack(raiser::databaseBack);
    List<Integer> told = new ArrayList<>();
    signals.onAlertsDue(() -> told.add(1));
    ManualClock clock = new ManualClock(T0);
    Events events = new Events(List.of());
    Outage completer =
        new Outage("completer", LoggerFactory.getLogger("test"), events, clock, signals);
    Outage scheduler =
        new Outage("scheduler", LoggerFactory.getLogger("test"), events, clock, signals);
    StoreException down =
        new StoreException(
            "no connection", new SQLNonTransientConnectionException("refused", "08001"));

    // a short outage: below every rule's after
    completer.failed(down);
    clock.advance(Duration.ofSeconds(30));
    completer.recovered();
    assertThat(raised(ds)).isEmpty();

    // two loops down in one outage of 2 minutes: one alert, for the 1-minute rule only
    clock.advance(Duration.ofMinutes(5));
    Instant began = clock.instant();
    completer.failed(down);
    clock.advance(Duration.ofSeconds(10));
    scheduler.failed(down);
    clock.advance(Duration.ofMinutes(2));
    completer.recovered();
    clock.advance(Duration.ofSeconds(5));
    scheduler.recovered();
    assertThat(raised(ds))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.rule()).isEqualTo("db-1m");
              assertThat(r.kind()).isEqualTo("DATABASE_UNREACHABLE");
              assertThat(r.dedupKey()).isEqualTo("db:inst-1:" + began.toEpochMilli());
              assertThat(r.facts())
                  .containsEntry("instance", "inst-1")
                  .containsEntry("since", began.toString());
            });
    assertThat(completer.since()).isEqualTo(-1);
  }

  @Test
  void patternsAndLinks() {
    assertThat(Glob.matches(null, "x")).isTrue();
    assertThat(Glob.matches("etl*", "etl-daily")).isTrue();
    assertThat(Glob.matches("*-daily", "etl-daily")).isTrue();
    assertThat(Glob.matches("e*l*y", "etl-daily")).isTrue();
    assertThat(Glob.matches("etl", "etl-daily")).isFalse();
    assertThat(Glob.matches("report*", "etl-daily")).isFalse();
    assertThat(Glob.matches("a.c", "abc")).as("only * is special").isFalse();
    assertThat(Glob.matches("*", null)).isFalse();
    // linear in the pattern times the value: a silence or rule of many stars cannot stall a loop
    // (a regex of ".*a.*a...b" backtracks for minutes on 60 a's)
    assertThat(Glob.matches("*a".repeat(90) + "*b", "a".repeat(191))).isFalse();
    Links links = new Links(AlertRaiser.consoleBase(URI.create("https://ops.example/"), "/fp"));
    assertThat(links.run("team a", 42)).isEqualTo("https://ops.example/fp/w/team%20a/runs/42");
    assertThat(new Links(null).run("default", 42)).isNull();
    assertThat(Raising.message("jdbc:mysql://u:secret@h/db failed")).doesNotContain("secret");
    assertThat(Raising.message("x".repeat(5000))).hasSize(Raising.MAX_MESSAGE);
  }
}
