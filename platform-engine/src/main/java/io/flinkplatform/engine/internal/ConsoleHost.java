package io.flinkplatform.engine.internal;

import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.access.Authenticator;
import io.flinkplatform.engine.access.PlatformAdmin;
import io.flinkplatform.engine.access.Users;
import io.flinkplatform.engine.internal.access.Access;
import io.flinkplatform.engine.internal.console.ConsoleBackend;
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Role;
import java.time.Clock;
import java.util.Map;
import javax.sql.DataSource;

/** The engine as the console sees it: its public operations as an actor. */
final class ConsoleHost implements ConsoleBackend {
  private final Engine engine;
  private final Access access;
  private final DataSource database;

  ConsoleHost(Engine engine, Access access, DataSource database) {
    this.engine = engine;
    this.access = access;
    this.database = database;
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
