package io.flinkplatform.engine.access;

import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Role;
import java.util.Optional;

/**
 * Decides what an actor may do: its role in each workspace, and whether it administers the whole
 * platform. The platform asks it for every client call of an actor that is not the {@link
 * Actor#SYSTEM system} (the system is allowed everything without asking). By default the platform
 * uses its built-in store of users and members ({@code t_user}, {@code t_member}); a host with its
 * own directory (LDAP, OIDC groups, its own user table) gives one with {@code
 * Platform.builder().authorizer(...)}.
 *
 * <p>Called often and on client threads: answer from memory or a short cache, and never throw for
 * an actor you do not know (answer empty / false).
 */
public interface Authorizer {

  /** The actor's role in {@code workspace}, or empty if it is not a member. */
  Optional<Role> role(Actor actor, String workspace);

  /**
   * Whether the actor administers the platform: creates workspaces, manages users, grants labels
   * and sets task-type limits. False by default.
   */
  default boolean isPlatformAdmin(Actor actor) {
    return false;
  }
}
