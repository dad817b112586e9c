package io.flinkplatform.tasks.flink;

import io.flinkplatform.spi.AccessDeniedException;
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Jdbc;
import io.flinkplatform.spi.Role;
import io.flinkplatform.spi.Secrets;
import io.flinkplatform.spi.WorkspaceAccess;
import io.flinkplatform.spi.Workspaces;
import java.sql.Connection;
import java.time.Clock;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The plugin's four tables in the platform database, one store each, sharing one {@link Jdbc} whose
 * failures are {@link FlinkTaskException}s naming what was being done; and the platform's {@link
 * WorkspaceAccess}, which decides who may change catalogs and functions and which workspaces may
 * use another's.
 */
final class FlinkStore {
  final FlinkJobStore jobs;
  final SavepointStore savepoints;
  final CatalogStore catalogs;
  final FunctionStore functions;
  final WorkspaceAccess access;

  /**
   * With the platform's cipher, which seals catalog options whose names look secret, and no
   * platform access: only the system may change, and a workspace uses only its own definitions.
   */
  FlinkStore(DataSource db, Clock clock, Secrets secrets) {
    this(db, clock, secrets, OWN_ONLY);
  }

  /** With the platform's cipher and its workspace access. */
  FlinkStore(DataSource db, Clock clock, Secrets secrets, WorkspaceAccess access) {
    Jdbc jdbc =
        new Jdbc(
            db, (what, e) -> new FlinkStoreException("cannot " + what + ": " + e.getMessage(), e));
    this.jobs = new FlinkJobStore(jdbc, clock);
    this.savepoints = new SavepointStore(jdbc, clock);
    this.catalogs = new CatalogStore(jdbc, clock, new CatalogSealing(secrets));
    this.functions = new FunctionStore(jdbc, clock);
    this.access = access;
  }

  /**
   * Access of a platform that has none ({@code PluginContext.access()} unsupported): the system
   * only, each workspace on its own, no audit trail.
   */
  static final WorkspaceAccess OWN_ONLY =
      new WorkspaceAccess() {
        @Override
        public void require(Actor actor, String workspace, Role role, String action) {
          if (!actor.isSystem()) {
            throw new AccessDeniedException(
                actor.name(), workspace, action, Optional.empty(), "the platform has no access");
          }
        }

        @Override
        public boolean granted(String workspace, String kind, Workspaces.Ref ref) {
          return ref.isIn(workspace);
        }

        @Override
        public void audit(
            Connection connection,
            Actor actor,
            String workspace,
            String action,
            String target,
            String digest) {
          // a platform without workspace access keeps no audit trail
        }
      };
}
