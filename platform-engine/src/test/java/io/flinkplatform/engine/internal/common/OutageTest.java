package io.flinkplatform.engine.internal.common;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.flinkplatform.engine.StoreException;
import io.flinkplatform.engine.event.PlatformEvent;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.TestDatabase;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What the loops make of database errors, with errors the real server and driver produce: a lost
 * lock race is retried at once and is no outage; an unreachable database is one outage, reported
 * once.
 */
class OutageTest {
  private HikariDataSource ds;
  private final List<PlatformEvent> events = new CopyOnWriteArrayList<>();
  private Outage outage;
  private Events delivery;

  @BeforeEach
  void setUp() throws SQLException {
    ds = TestDatabase.get().newDatabase();
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (id INT PRIMARY KEY, v INT) ENGINE=InnoDB");
      s.execute("INSERT INTO t VALUES (1, 0), (2, 0)");
    }
    outage =
        new Outage(
            "test",
            LoggerFactory.getLogger(OutageTest.class),
            delivery = new Events(List.of(events::add)),
            Clock.systemUTC());
  }

  @AfterEach
  void tearDown() {
    delivery.stop();
    ds.close();
  }

  @Test
  void aDeadlockIsALostLockRaceNotAnOutage() throws Exception {
    SQLException deadlock = deadlock();
    assertThat(deadlock.getErrorCode()).isEqualTo(1213);
    StoreException e = new StoreException("claim attempts", deadlock);
    assertThat(Outage.isContention(e)).isTrue();
    assertThat(Outage.isTransient(e)).as("retried until it commits").isTrue();
    for (int i = 0; i < 10; i++) {
      assertThat(outage.failed(e)).as("handled, not unexpected").isTrue();
    }
    // events are delivered in order on their own thread: once a marker arrived, all did
    PlatformEvent marker = new PlatformEvent.DatabaseReachable(java.time.Instant.EPOCH, "mark", 0);
    delivery.emit(marker);
    Await.until(() -> events.contains(marker));
    assertThat(events).as("no DatabaseUnreachable for a deadlock").containsExactly(marker);
    assertThat(outage.backoffMillis()).as("the shortest backoff").isEqualTo(50);
  }

  @Test
  void aLockWaitTimeoutIsALostLockRaceToo() throws Exception {
    try (Connection holder = ds.getConnection();
        Connection waiter = ds.getConnection()) {
      holder.setAutoCommit(false);
      waiter.setAutoCommit(false);
      holder.createStatement().executeUpdate("UPDATE t SET v = 1 WHERE id = 1");
      waiter.createStatement().execute("SET SESSION innodb_lock_wait_timeout = 1");
      SQLException timeout = null;
      try {
        waiter.createStatement().executeUpdate("UPDATE t SET v = 2 WHERE id = 1");
      } catch (SQLException e) {
        timeout = e;
      }
      holder.rollback();
      waiter.rollback();
      assertThat((Throwable) timeout).isNotNull();
      assertThat(timeout.getErrorCode()).isEqualTo(1205);
      assertThat(Outage.isContention(new StoreException("claim", timeout))).isTrue();
    }
  }

  @Test
  void anUnreachableDatabaseIsOneOutageReportedOnce() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    SQLException refused = null;
    try {
      DriverManager.getConnection(
              "jdbc:mysql://127.0.0.1:" + port + "/x?connectTimeout=2000&user=root")
          .close();
    } catch (SQLException e) {
      refused = e;
    }
    assertThat((Throwable) refused).isNotNull();
    StoreException e = new StoreException("claim attempts", refused);
    assertThat(Outage.isContention(e)).isFalse();
    assertThat(Outage.isTransient(e)).isTrue();
    for (int i = 0; i < 5; i++) {
      assertThat(outage.failed(e)).isTrue();
    }
    Await.until(() -> events.size() == 1); // delivered on the listeners' thread
    assertThat(events).hasSize(1).first().isInstanceOf(PlatformEvent.DatabaseUnreachable.class);
    assertThat(outage.backoffMillis()).as("backs off").isGreaterThan(50);
    outage.recovered();
    Await.until(() -> events.size() == 2);
    assertThat(events).hasSize(2).last().isInstanceOf(PlatformEvent.DatabaseReachable.class);
    assertThat(outage.backoffMillis()).isEqualTo(50);
  }

  /** Two transactions locking two rows in opposite orders: the server ends one of them. */
  private SQLException deadlock() throws Exception {
    try (Connection a = ds.getConnection();
        Connection b = ds.getConnection()) {
      a.setAutoCommit(false);
      b.setAutoCommit(false);
      a.createStatement().executeUpdate("UPDATE t SET v = 1 WHERE id = 1");
      b.createStatement().executeUpdate("UPDATE t SET v = 1 WHERE id = 2");
      CompletableFuture<SQLException> first =
          CompletableFuture.supplyAsync(() -> update(a, 2)); // waits for b
      Thread.sleep(300);
      SQLException second = update(b, 1); // closes the circle
      SQLException other = first.get(30, TimeUnit.SECONDS);
      a.rollback();
      b.rollback();
      assertThat(second == null ^ other == null).as("exactly one transaction is ended").isTrue();
      return second != null ? second : other;
    }
  }

  private static SQLException update(Connection c, int id) {
    try {
      c.createStatement().executeUpdate("UPDATE t SET v = 2 WHERE id = " + id);
      return null;
    } catch (SQLException e) {
      return e;
    }
  }
}
