package io.flinkplatform.tasks.flink;

import io.flinkplatform.spi.Jdbc;
import io.flinkplatform.spi.Secrets;
import java.time.Clock;
import javax.sql.DataSource;

/**
 * The plugin's four tables in the platform database, one store each, sharing one {@link Jdbc} whose
 * failures are {@link FlinkTaskException}s naming what was being done.
 */
final class FlinkStore {
  final FlinkJobStore jobs;
  final SavepointStore savepoints;
  final CatalogStore catalogs;
  final FunctionStore functions;

  /** With the platform's cipher, which seals catalog options whose names look secret. */
  FlinkStore(DataSource db, Clock clock, Secrets secrets) {
    Jdbc jdbc =
        new Jdbc(
            db, (what, e) -> new FlinkTaskException("cannot " + what + ": " + e.getMessage(), e));
    this.jobs = new FlinkJobStore(jdbc, clock);
    this.savepoints = new SavepointStore(jdbc, clock);
    this.catalogs = new CatalogStore(jdbc, clock, new CatalogSealing(secrets));
    this.functions = new FunctionStore(jdbc, clock);
  }
}
