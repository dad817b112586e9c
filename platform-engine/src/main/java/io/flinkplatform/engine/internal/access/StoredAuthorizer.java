package io.flinkplatform.engine.internal.access;

import io.flinkplatform.engine.access.Authorizer;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Role;
import java.util.Optional;

/**
 * The built-in {@link Authorizer}: roles from {@code t_member}, platform administrators from {@code
 * t_user}; a disabled user has no role. Reads the database on every call, so a change (a removed
 * member, a disabled user) holds at once on every instance.
 */
public final class StoredAuthorizer implements Authorizer {
  private final Store store;

  public StoredAuthorizer(Store store) {
    this.store = store;
  }

  @Override
  public Optional<Role> role(Actor actor, String workspace) {
    if (actor.kind() != Actor.Kind.USER) {
      return Optional.empty();
    }
    String role =
        store.tx("read the role of a member", m -> m.selectMemberRole(workspace, actor.name()));
    return Optional.ofNullable(role).map(Role::valueOf);
  }

  @Override
  public boolean isPlatformAdmin(Actor actor) {
    if (actor.kind() != Actor.Kind.USER) {
      return false;
    }
    Integer admin = store.tx("read a user", m -> m.selectPlatformAdmin(actor.name()));
    return admin != null && admin == 1;
  }
}
