package io.flinkplatform.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.SchemaMode;
import io.flinkplatform.engine.internal.store.Schema;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.testing.TestDatabase;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The owned pool hands out connections with auto-commit off, so that the store's transactions
 * switch nothing on the way in or out; everything else sees them in JDBC's default mode, where a
 * statement commits by itself.
 */
class OwnedPoolCommitTest {
  private final AtomicInteger switches = new AtomicInteger();
  private HikariDataSource pool;
  private DataSource others;

  @BeforeEach
  void open() {
    HikariConfig config =
        OwnedPool.config(
            Platform.builder()
                .jdbcUrl(TestDatabase.get().newDatabaseUrl(), "root", "")
                .instanceName("commit")
                .poolSize(2)
                .build()
                .settings());
    config.setDataSource(countingAutoCommitSwitches(config.getDataSource()));
    pool = new HikariDataSource(config);
    others = new AutoCommitDataSource(pool);
    Schema.apply(others, SchemaMode.MIGRATE);
  }

  @AfterEach
  void close() {
    pool.close();
  }

  @Test
  void theStoresTransactionsCommitWithoutSwitchingAutoCommit() throws Exception {
    Store store = new Store(pool, Store.Commit.MANUAL);
    String id = store.installationId(1); // once in its own transaction (an INSERT, then a read)
    int before = switches.get();

    for (int i = 0; i < 20; i++) {
      assertThat(store.installationId(2 + i)).isEqualTo(id);
      store.run("write", m -> m.insertInstallation("other", 3));
    }

    assertThat(switches.get()).isEqualTo(before);
    try (Connection c = others.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t_installation")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(1); // committed, and INSERT IGNOREd after the first
    }
  }

  @Test
  void everyoneElseGetsConnectionsThatCommitEachStatement() throws Exception {
    try (Connection c = others.getConnection();
        Statement s = c.createStatement()) {
      assertThat(c.getAutoCommit()).isTrue();
      s.executeUpdate("CREATE TABLE t_commit_probe (id INT PRIMARY KEY)");
      s.executeUpdate("INSERT INTO t_commit_probe VALUES (1)");
    } // closed without a commit: the pool rolls back what a connection left uncommitted
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t_commit_probe")) {
      assertThat(c.getAutoCommit()).isFalse(); // and the pool's own mode came back
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(1);
    }
  }

  /** The driver's connections, counting what switches their auto-commit mode. */
  private DataSource countingAutoCommitSwitches(DataSource driver) {
    return (DataSource)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {DataSource.class},
            (proxy, method, args) -> {
              Object result = invoke(driver, method, args);
              if (!(result instanceof Connection c)) {
                return result;
              }
              return Proxy.newProxyInstance(
                  getClass().getClassLoader(),
                  new Class<?>[] {Connection.class},
                  (p, m, a) -> {
                    if (m.getName().equals("setAutoCommit")) {
                      switches.incrementAndGet();
                    }
                    return invoke(c, m, a);
                  });
            });
  }

  private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args)
      throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
