package io.flinkplatform.engine.internal.store;

import com.zaxxer.hikari.HikariDataSource;
import io.flinkplatform.engine.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;

/**
 * The store contract on the test database: the embedded MariaDB, or the MySQL/MariaDB server named
 * by {@code PLATFORM_TEST_JDBC_URL}.
 */
class MariaDbStoreContractTest extends StoreContract {
  private final List<HikariDataSource> pools = new ArrayList<>();

  @Override
  protected DataSource freshDatabase() {
    HikariDataSource ds = TestDatabase.get().newDatabase();
    pools.add(ds);
    return ds;
  }

  @AfterEach
  void close() {
    pools.forEach(HikariDataSource::close);
  }
}
