package io.flinkplatform.engine.internal.alert;

import com.sun.net.httpserver.HttpServer;
import io.flinkplatform.engine.alert.AlertRule;
import io.flinkplatform.engine.alert.AlertSettings;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.spi.Workspaces;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Rows and a receiver for the delivery tests: channels, rules and silences written as the alert
 * book would (its API is another part's), alerts raised through {@link AlertWriter} in a
 * transaction of their own, and an HTTP receiver on 127.0.0.1 that records what it got.
 */
public final class AlertFixture {
  /** Quick timings: poll 100 ms, lease 3 s, send timeout 1.5 s, retries from 300 ms up to 1 s. */
  public static final AlertSettings QUICK =
      new AlertSettings(
          true,
          Duration.ofMillis(100),
          Duration.ofSeconds(3),
          Duration.ofMillis(1500),
          Duration.ofMillis(300),
          Duration.ofSeconds(1),
          Duration.ofHours(1),
          2,
          Duration.ofSeconds(15),
          Duration.ofSeconds(5));

  private final DataSource dataSource;
  private final Store store;

  public AlertFixture(DataSource dataSource) {
    this.dataSource = dataSource;
    this.store = new Store(dataSource);
  }

  /** A {@code test_webhook} channel named {@code name} that POSTs to {@code url}. */
  public void channel(String name, String url) throws SQLException {
    update(
        "INSERT INTO t_alert_channel (workspace, name, type, options, updated_by, updated_at)"
            + " VALUES (?, ?, ?, ?, 'test', 0)",
        Workspaces.DEFAULT,
        name,
        TestWebhookChannel.TYPE,
        "{\"url\":\"" + url + "\"}");
  }

  /** A {@code test_webhook} channel with its secret {@code token} sealed with {@code secrets}. */
  public void channel(String name, String url, String token, io.flinkplatform.spi.Secrets secrets)
      throws SQLException {
    Map<String, Object> sealed =
        ChannelOptions.seal(
            new TestWebhookChannel(),
            Map.of("url", url, "token", token),
            secrets,
            Workspaces.DEFAULT,
            name);
    update(
        "INSERT INTO t_alert_channel (workspace, name, type, options, updated_by, updated_at)"
            + " VALUES (?, ?, ?, ?, 'test', 0)",
        Workspaces.DEFAULT,
        name,
        TestWebhookChannel.TYPE,
        io.flinkplatform.engine.internal.common.Json.write(sealed));
  }

  /** Saves {@code rule}; returns it with its row id. */
  public StoredRule rule(AlertRule rule) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO t_alert_rule (workspace, name, kind, spec, enabled, updated_by,"
                    + " updated_at) VALUES (?, ?, ?, ?, 1, 'test', 0)",
                Statement.RETURN_GENERATED_KEYS)) {
      s.setString(1, Workspaces.DEFAULT);
      s.setString(2, rule.name());
      s.setString(3, rule.kind().name());
      s.setString(4, RuleJson.write(rule));
      s.executeUpdate();
      try (ResultSet k = s.getGeneratedKeys()) {
        k.next();
        return new StoredRule(k.getLong(1), Workspaces.DEFAULT, rule);
      }
    }
  }

  /** A silence of {@code rule} (null: all) for workflows matching {@code workflow} (null: all). */
  public void silence(String rule, String workflow, long endsAt) throws SQLException {
    update(
        "INSERT INTO t_alert_silence (workspace, rule_name, workflow, ends_at, reason, created_by,"
            + " created_at) VALUES (?, ?, ?, ?, 'test', 'test', 0)",
        Workspaces.DEFAULT,
        rule,
        workflow,
        endsAt);
  }

  /** Raises the rule's alert for run {@code run} of {@code workflow}; returns the alert's id. */
  public long raise(StoredRule rule, String workflow, long run) {
    return raise(rule, workflow, run, System.currentTimeMillis());
  }

  /** {@link #raise(StoredRule, String, long)} at {@code now} (a manual platform's clock). */
  public long raise(StoredRule rule, String workflow, long run, long now) {
    Occurrence o =
        new Occurrence(
            "run:" + run,
            workflow,
            run,
            null,
            Map.of("run", Long.toString(run), "workflow", workflow, "state", "FAILED"));
    return store.tx("raise", m -> new AlertWriter().write(rule, o, now, m)).orElseThrow();
  }

  /** The idempotency key of alert {@code id}. */
  public String key(long alertId) throws SQLException {
    return string("SELECT idempotency_key FROM t_alert WHERE id = " + alertId);
  }

  /** The states of every delivery, one per row, in id order. */
  public List<String> states() throws SQLException {
    return strings("SELECT state FROM t_alert_delivery ORDER BY id");
  }

  public String state(long alertId) throws SQLException {
    return string("SELECT state FROM t_alert_delivery WHERE alert_id = " + alertId);
  }

  public long count(String sql) throws SQLException {
    return Long.parseLong(string(sql));
  }

  public String string(String sql) throws SQLException {
    List<String> rows = strings(sql);
    return rows.isEmpty() ? null : rows.get(0);
  }

  public List<String> strings(String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      while (r.next()) {
        out.add(r.getString(1));
      }
    }
    return out;
  }

  /** {@link #strings} that turns the checked exception into an error, for await conditions. */
  public List<String> rows(String sql) {
    try {
      return strings(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private void update(String sql, Object... args) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      s.executeUpdate();
    }
  }

  /**
   * What the receiver got: the Idempotency-Key header, the body (title, count, text) and the
   * X-Token header.
   */
  public record Received(String key, String body, long atMillis, String token) {
    public String title() {
      return body.substring(0, body.indexOf('\n'));
    }

    public int count() {
      String[] lines = body.split("\n", 3);
      return Integer.parseInt(lines[1]);
    }
  }

  /**
   * An HTTP receiver on 127.0.0.1 that records every POST and answers with the next status of its
   * script (200 once the script is used up). {@link #stop} and {@link #start} keep the port.
   */
  public static final class Receiver implements AutoCloseable {
    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
    private final Queue<Integer> statuses = new ConcurrentLinkedQueue<>();
    private volatile Consumer<Received> onRequest = r -> {};
    private HttpServer server;
    private int port;

    public Receiver() throws IOException {
      start();
    }

    /** Answers the next requests with {@code codes}, in order. */
    public Receiver answer(Integer... codes) {
      statuses.addAll(List.of(codes));
      return this;
    }

    /** Runs {@code hook} on each request after it was recorded, before the answer. */
    public Receiver onRequest(Consumer<Received> hook) {
      this.onRequest = hook;
      return this;
    }

    public synchronized void start() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
      server.createContext(
          "/",
          exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
              Received r =
                  new Received(
                      exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                      new String(in.readAllBytes(), StandardCharsets.UTF_8),
                      System.currentTimeMillis(),
                      exchange.getRequestHeaders().getFirst("X-Token"));
              received.add(r);
              onRequest.accept(r);
              Integer code = statuses.poll();
              exchange.sendResponseHeaders(code == null ? 200 : code, -1);
            } finally {
              exchange.close();
            }
          });
      server.start();
      port = server.getAddress().getPort();
    }

    /** Stops listening: connections are refused until {@link #start}. */
    public synchronized void stop() {
      server.stop(0);
    }

    public String url() {
      return "http://127.0.0.1:" + port + "/hook";
    }

    public List<Received> received() {
      synchronized (received) {
        return List.copyOf(received);
      }
    }

    /** The requests that carried {@code key}. */
    public List<Received> with(String key) {
      return received().stream().filter(r -> key.equals(r.key())).toList();
    }

    @Override
    public synchronized void close() {
      server.stop(0);
    }
  }
}
