package io.flinkplatform.engine.internal.console;

import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.access.Authenticator;
import io.flinkplatform.engine.access.PlatformAdmin;
import io.flinkplatform.engine.access.Users;
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Role;
import java.time.Clock;
import java.util.Map;
import javax.sql.DataSource;

/** What the console serves: the platform as a given actor sees it. Built by the engine. */
public interface ConsoleBackend {
  /** A client acting as {@code actor} in {@code workspace} (every call checks its role). */
  PlatformClient client(Actor actor, String workspace);

  PlatformAdmin admin(Actor actor);

  Users users(Actor actor);

  /** The platform's built-in authenticator. */
  Authenticator authenticator();

  /**
   * The workspaces {@code actor} has a role in, with that role (every one for a platform admin).
   */
  Map<String, Role> workspacesOf(Actor actor);

  boolean isPlatformAdmin(Actor actor);

  DataSource database();

  /** The instance's health (the unauthenticated {@code GET /api/v1/health}). */
  io.flinkplatform.engine.Health health();

  Clock clock();

  String instanceName();

  /**
   * The REST operations the started plugins offer ({@link
   * io.flinkplatform.spi.TaskPlugin#apiOperations()}), by plugin name.
   */
  default Map<String, java.util.List<io.flinkplatform.spi.ApiOperation>> pluginOperations() {
    return Map.of();
  }

  /** The platform's access: roles, workspaces and the audit trail (for the plugins' operations). */
  io.flinkplatform.spi.WorkspaceAccess access();
}
