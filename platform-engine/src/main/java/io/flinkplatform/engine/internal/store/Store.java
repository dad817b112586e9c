package io.flinkplatform.engine.internal.store;

import io.flinkplatform.engine.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.sql.DataSource;
import org.apache.ibatis.builder.xml.XMLMapperBuilder;
import org.apache.ibatis.exceptions.PersistenceException;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.LocalCacheScope;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.session.TransactionIsolationLevel;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;

/**
 * The persistence boundary: MyBatis over the platform's {@link DataSource}. Every call is one
 * transaction at READ COMMITTED; driver errors are wrapped once, here, in {@link StoreException}.
 */
public final class Store {
  /** Most rows one multi-row INSERT carries; longer lists go in chunks of this size. */
  public static final int INSERT_CHUNK = 1000;

  private static final String MAPPER_XML = "io/flinkplatform/engine/internal/store/StoreMapper.xml";
  private final SqlSessionFactory sessions;

  public Store(DataSource dataSource) {
    Configuration config =
        new Configuration(new Environment("platform", new JdbcTransactionFactory(), dataSource));
    config.setMapUnderscoreToCamelCase(true);
    config.setDefaultStatementTimeout(30);
    // no session cache: a read repeated after taking a lock must see what others committed
    config.setLocalCacheScope(LocalCacheScope.STATEMENT);
    try (InputStream in = Store.class.getClassLoader().getResourceAsStream(MAPPER_XML)) {
      if (in == null) {
        throw new IllegalStateException(MAPPER_XML + " is missing from the classpath");
      }
      new XMLMapperBuilder(in, config, MAPPER_XML, config.getSqlFragments()).parse();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + MAPPER_XML, e);
    }
    this.sessions = new SqlSessionFactoryBuilder().build(config);
  }

  /** Runs {@code work} in one transaction and commits it; rolls back on any exception. */
  public <T> T tx(String what, Function<StoreMapper, T> work) {
    try (SqlSession session = sessions.openSession(TransactionIsolationLevel.READ_COMMITTED)) {
      try {
        T result = work.apply(session.getMapper(StoreMapper.class));
        session.commit(true);
        return result;
      } catch (RuntimeException e) {
        try {
          session.rollback(true);
        } catch (RuntimeException r) {
          // the connection broke (that is often why the work failed): keep the first error, which
          // says what happened, instead of "Connection is closed" from the rollback
          e.addSuppressed(r);
        }
        throw e;
      }
    } catch (PersistenceException e) {
      throw new StoreException("database error while trying to " + what + ": " + rootMessage(e), e);
    }
  }

  /**
   * The installation's id (t_installation): written once, a random UUID, by whichever instance asks
   * first; every later call and every other instance reads the same value.
   */
  public String installationId(long now) {
    return tx(
        "read the installation id",
        m -> {
          m.insertInstallation(UUID.randomUUID().toString(), now);
          return m.selectInstallationId();
        });
  }

  /** Runs {@code work} in one transaction that returns nothing. */
  public void run(String what, Consumer<StoreMapper> work) {
    tx(
        what,
        m -> {
          work.accept(m);
          return null;
        });
  }

  /**
   * Whether {@code e} was caused by a duplicate entry for the unique key {@code key} (MySQL and
   * MariaDB error 1062, whose message names the key), as opposed to any other database error.
   */
  public static boolean isDuplicateKey(Throwable e, String key) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException s
          && s.getErrorCode() == 1062
          && String.valueOf(s.getMessage()).contains(key)) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
