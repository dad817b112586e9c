package io.flinkplatform.engine.internal.access;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.NotFoundException;
import io.flinkplatform.engine.access.Action;
import io.flinkplatform.engine.access.Authorizer;
import io.flinkplatform.engine.internal.common.Texts;
import io.flinkplatform.engine.internal.store.AuditRow;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.internal.store.StoreMapper;
import io.flinkplatform.spi.AccessDeniedException;
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Role;
import io.flinkplatform.spi.WorkspaceAccess;
import io.flinkplatform.spi.Workspaces;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The platform's authorization, grants and audit writes: the one place that decides whether an
 * actor may do an action in a workspace ({@link #require}), whether a workspace may use another's
 * thing ({@link #granted}), and writes audit rows inside the transaction of the change ({@link
 * #audit}). Plugins reach it as {@link WorkspaceAccess}.
 */
public final class Access implements WorkspaceAccess {
  /** Longest stored digest and target; longer ones are cut (they never hold a secret). */
  static final int MAX_DIGEST = 2048;

  static final int MAX_TARGET = 512;

  private final Store store;
  private final Authorizer authorizer;
  private final Clock clock;

  public Access(Store store, Authorizer authorizer, Clock clock) {
    this.store = requireNonNull(store, "store is null");
    this.authorizer = requireNonNull(authorizer, "authorizer is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /**
   * Checks that the caller may do {@code action} in its workspace.
   *
   * @throws AccessDeniedException naming the actor, workspace and action otherwise
   */
  public void require(Caller caller, Action action) {
    Optional<Role> needed = action.role();
    if (needed.isPresent()) {
      require(caller.actor(), caller.workspace(), needed.get(), action.id());
    } else if (!caller.actor().isSystem() && !authorizer.isPlatformAdmin(caller.actor())) {
      throw new AccessDeniedException(
          caller.name(),
          caller.workspace(),
          action.id(),
          Optional.empty(),
          "only a platform administrator may");
    }
  }

  @Override
  public void require(Actor actor, String workspace, Role needed, String action) {
    requireNonNull(actor, "actor is null");
    if (actor.isSystem()) {
      return;
    }
    // the role first: a member's allowed call costs one question to the authorizer, not two
    Optional<Role> role = authorizer.role(actor, workspace);
    if (role.isPresent() && role.get().includes(needed) || authorizer.isPlatformAdmin(actor)) {
      return;
    }
    throw new AccessDeniedException(
        actor.name(),
        workspace,
        action,
        Optional.of(needed),
        role.map(r -> "its role there is " + r).orElse("it is not a member"));
  }

  /**
   * The workspaces in which {@code actor} has a role, with that role: every workspace as {@link
   * Role#ADMIN} for the system actor and platform administrators.
   */
  public java.util.Map<String, Role> roles(Actor actor) {
    boolean admin = actor.isSystem() || authorizer.isPlatformAdmin(actor);
    java.util.Map<String, Role> roles = new java.util.TreeMap<>();
    for (var w :
        store.tx(
            "read workspaces",
            io.flinkplatform.engine.internal.store.StoreMapper::selectWorkspaces)) {
      Optional<Role> role = admin ? Optional.of(Role.ADMIN) : authorizer.role(actor, w.name);
      role.ifPresent(r -> roles.put(w.name, r));
    }
    return roles;
  }

  /** Whether {@code actor} is the system or a platform administrator. */
  public boolean isPlatformAdmin(Actor actor) {
    return actor.isSystem() || authorizer.isPlatformAdmin(actor);
  }

  /**
   * Checks that {@code workspace} exists.
   *
   * @throws NotFoundException otherwise
   */
  public void requireWorkspace(String workspace) {
    Workspaces.problem(workspace)
        .ifPresent(
            p -> {
              throw new io.flinkplatform.engine.InvalidRequestException("workspace", p);
            });
    if (!exists(workspace)) {
      throw new NotFoundException("workspace '" + workspace + "' does not exist");
    }
  }

  @Override
  public boolean exists(String workspace) {
    return Workspaces.problem(workspace).isEmpty()
        && store.tx("read workspace '" + workspace + "'", m -> m.selectWorkspace(workspace))
            != null;
  }

  @Override
  public boolean granted(String workspace, String kind, Workspaces.Ref ref) {
    if (ref.isIn(workspace)) {
      return true;
    }
    return store.tx(
            "read grants of workspace '" + workspace + "'",
            m -> m.countGrant(workspace, kind, ref.workspace(), ref.name()))
        > 0;
  }

  /** Whether {@code workspace} may route tasks to worker label {@code label}. */
  public boolean labelGranted(StoreMapper m, String workspace, String label) {
    return m.countGrant(workspace, LABEL, "", label) > 0;
  }

  /** Writes the audit row of a change, with the mapper of the change's transaction. */
  public void audit(StoreMapper m, Caller caller, Action action, String target, String digest) {
    audit(m, caller, action.id(), target, digest);
  }

  /** {@link #audit(StoreMapper, Caller, Action, String, String)} for an action named by id. */
  public void audit(StoreMapper m, Caller caller, String action, String target, String digest) {
    AuditRow row = new AuditRow();
    row.at = clock.millis();
    row.actor = caller.name();
    row.workspace = caller.workspace();
    row.action = action;
    row.target = cut(target, MAX_TARGET);
    row.digest = cut(digest, MAX_DIGEST);
    row.address = caller.actor().address().orElse(null);
    m.insertAudit(row);
  }

  @Override
  public void audit(
      Connection connection,
      Actor actor,
      String workspace,
      String action,
      String target,
      String digest)
      throws SQLException {
    try (PreparedStatement ps =
        connection.prepareStatement(
            "INSERT INTO t_audit (at, actor, workspace, action, target, digest, address)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      ps.setLong(1, clock.millis());
      ps.setString(2, actor.name());
      ps.setString(3, workspace);
      ps.setString(4, action);
      ps.setString(5, cut(target, MAX_TARGET));
      ps.setString(6, cut(digest, MAX_DIGEST));
      ps.setString(7, actor.address().orElse(null));
      ps.executeUpdate();
    }
  }

  private static String cut(String s, int max) {
    requireNonNull(s, "audit text is null");
    return s.length() <= max ? s : Texts.prefix(s, max - 4) + "...";
  }

  /**
   * The first 16 hex digits of the SHA-256 of {@code text}: tells two versions of a definition
   * apart in a digest without showing it.
   */
  public static String fingerprint(String text) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
