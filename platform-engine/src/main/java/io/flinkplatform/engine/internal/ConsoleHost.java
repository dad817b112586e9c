package io.flinkplatform.engine.internal;

import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.access.Authenticator;
import io.flinkplatform.engine.access.PlatformAdmin;
import io.flinkplatform.engine.access.Users;
import io.flinkplatform.engine.internal.access.Access;
import io.flinkplatform.engine.internal.console.ConsoleBackend;
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.ApiOperation;
import io.flinkplatform.spi.Role;
import io.flinkplatform.spi.TaskPlugin;
import io.flinkplatform.spi.WorkspaceAccess;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** The engine as the console sees it: its public operations as an actor. */
final class ConsoleHost implements ConsoleBackend {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ConsoleHost.class);
  private final Engine engine;
  private final Access access;
  private final DataSource database;
  private final Map<String, List<ApiOperation>> pluginOperations;

  ConsoleHost(Engine engine, Access access, DataSource database, List<TaskPlugin> plugins) {
    this.engine = engine;
    this.access = access;
    this.database = database;
    this.pluginOperations = operations(plugins, engine.settings().instanceName());
  }

  /** Each plugin's operations, asked once; a plugin whose list fails is logged and left out. */
  private static Map<String, List<ApiOperation>> operations(
      List<TaskPlugin> plugins, String instance) {
    Map<String, List<ApiOperation>> all = new LinkedHashMap<>();
    for (TaskPlugin p : plugins) {
      try {
        List<ApiOperation> ops = List.copyOf(p.apiOperations());
        if (!ops.isEmpty()) {
          all.put(p.name(), ops);
        }
      } catch (RuntimeException | LinkageError e) {
        LOG.warn(
            "[{}] plugin {} offers no console operations: it failed to list them",
            instance,
            p.name(),
            e);
      }
    }
    return Collections.unmodifiableMap(all);
  }

  @Override
  public Map<String, List<ApiOperation>> pluginOperations() {
    return pluginOperations;
  }

  @Override
  public WorkspaceAccess access() {
    return access;
  }

  @Override
  public PlatformClient client(Actor actor, String workspace) {
    return engine.client(actor, workspace);
  }

  @Override
  public PlatformAdmin admin(Actor actor) {
    return engine.admin(actor);
  }

  @Override
  public Users users(Actor actor) {
    return engine.users(actor);
  }

  @Override
  public Authenticator authenticator() {
    return engine.authenticator();
  }

  @Override
  public Map<String, Role> workspacesOf(Actor actor) {
    return access.roles(actor);
  }

  @Override
  public boolean isPlatformAdmin(Actor actor) {
    return access.isPlatformAdmin(actor);
  }

  @Override
  public io.flinkplatform.engine.Health health() {
    return engine.health();
  }

  @Override
  public DataSource database() {
    return database;
  }

  @Override
  public Clock clock() {
    return engine.settings().clock();
  }

  @Override
  public String instanceName() {
    return engine.settings().instanceName();
  }
}
