package io.flinkplatform.engine.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.flinkplatform.engine.Platform;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Platforms on one fresh test database, with the test task types and short timings. Close it (try
 * with resources or {@code @AfterEach}) to stop every platform and the pool.
 */
public final class TestPlatforms implements AutoCloseable {
  private final String jdbcUrl = TestDatabase.get().newDatabaseUrl();
  private final HikariDataSource dataSource;
  private final List<Platform> platforms = new ArrayList<>();
  private final List<ManualPlatform> manuals = new ArrayList<>();

  public TestPlatforms() {
    this(c -> {});
  }

  /**
   * With pool settings changed by {@code pool} (see {@link TestDatabase#pool(String, Consumer)}).
   */
  public TestPlatforms(Consumer<HikariConfig> pool) {
    this.dataSource = TestDatabase.pool(jdbcUrl, pool);
  }

  /** The test database's URL, for instances in other JVMs. */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  /**
   * A platform on {@code dataSource} with the test task types and quick test timings (poll 100 ms,
   * heartbeat 250 ms, lease 2 s, grace 2 s).
   */
  public static Platform.Builder builder(javax.sql.DataSource dataSource, String name) {
    return Platform.builder()
        .dataSource(dataSource)
        .instanceName(name)
        .plugin(new TestTasks())
        .discoverPlugins(false)
        .pollInterval(Duration.ofMillis(100))
        .heartbeatInterval(Duration.ofMillis(250))
        .leaseDuration(Duration.ofSeconds(2))
        .shutdownGracePeriod(Duration.ofSeconds(2))
        .logDirectory(logDirectory(dataSource))
        .resourceStore(resourceStore(dataSource))
        .resourceCacheDirectory(Path.of("target", "resource-cache"));
  }

  /** The resource store of the test database: {@code target/resources/<database>}. */
  private static io.flinkplatform.engine.storage.BlobStore resourceStore(
      javax.sql.DataSource dataSource) {
    return io.flinkplatform.engine.storage.BlobStores.local(
        Path.of("target", "resources").resolve(logDirectory(dataSource).getFileName().toString()));
  }

  /**
   * The log directory for the test database at {@code jdbcUrl}: {@code
   * target/task-logs/<database>}. One per database, as a log directory belongs to one installation;
   * instances of one database (in this JVM or a child) share it.
   */
  public static Path logDirectory(String jdbcUrl) {
    int q = jdbcUrl.indexOf('?');
    String path = q < 0 ? jdbcUrl : jdbcUrl.substring(0, q);
    return Path.of("target", "task-logs", path.substring(path.lastIndexOf('/') + 1));
  }

  private static Path logDirectory(javax.sql.DataSource dataSource) {
    try (java.sql.Connection c = dataSource.getConnection()) {
      return Path.of("target", "task-logs", c.getCatalog());
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("cannot name the test database's log directory", e);
    }
  }

  public HikariDataSource dataSource() {
    return dataSource;
  }

  public Platform start(String name) {
    return start(name, b -> {});
  }

  public Platform start(String name, Consumer<Platform.Builder> customize) {
    Platform.Builder b = builder(dataSource, name);
    customize.accept(b);
    Platform p = b.build().start();
    platforms.add(p);
    return p;
  }

  /**
   * A {@link ManualPlatform} on the test database with the test task types and {@code clock}, the
   * builder changed by {@code customize}; closed by {@link #close()}.
   */
  public ManualPlatform manual(ManualClock clock, Consumer<ManualPlatform.Builder> customize) {
    ManualPlatform.Builder b =
        ManualPlatform.builder()
            .dataSource(dataSource)
            .clock(clock)
            .plugin(new TestTasks())
            .configure(
                p ->
                    p.discoverPlugins(false)
                        .logDirectory(logDirectory(dataSource))
                        .resourceStore(resourceStore(dataSource))
                        .resourceCacheDirectory(Path.of("target", "resource-cache")));
    customize.accept(b);
    ManualPlatform p = b.build();
    manuals.add(p);
    return p;
  }

  @Override
  public void close() {
    manuals.forEach(ManualPlatform::close);
    platforms.forEach(Platform::stop);
    dataSource.close();
  }
}
