package io.flinkplatform.engine.internal.access;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.ConflictException;
import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.NotFoundException;
import io.flinkplatform.engine.access.Action;
import io.flinkplatform.engine.access.AuditEntry;
import io.flinkplatform.engine.access.AuditQuery;
import io.flinkplatform.engine.access.Grant;
import io.flinkplatform.engine.access.Member;
import io.flinkplatform.engine.access.PlatformAdmin;
import io.flinkplatform.engine.access.WorkspaceCaps;
import io.flinkplatform.engine.internal.store.AuditRow;
import io.flinkplatform.engine.internal.store.GrantRow;
import io.flinkplatform.engine.internal.store.MemberRow;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.internal.store.StoreMapper;
import io.flinkplatform.engine.internal.store.WorkspaceRow;
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Role;
import io.flinkplatform.spi.WorkspaceAccess;
import io.flinkplatform.spi.Workspaces;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Workspaces, their members, grants, caps and audit trail: each change is one transaction with its
 * audit row. The checks of who may call are the callers' ({@link Access#require}); this class
 * checks the request itself.
 */
public final class WorkspaceAdmin {
  /** A grant's kind: a lower-case word. */
  static final Pattern KIND = Pattern.compile("[a-z][a-z_-]{0,31}");

  /** A granted thing's name, or {@code *}. */
  static final Pattern NAME = Pattern.compile("\\*|[A-Za-z0-9][A-Za-z0-9_.:-]{0,190}");

  private final Store store;
  private final Access access;
  private final Clock clock;

  public WorkspaceAdmin(Store store, Access access, Clock clock) {
    this.store = store;
    this.access = access;
    this.clock = clock;
  }

  // --- one workspace

  public List<Member> members(Caller caller) {
    return store.tx("read members", m -> m.selectMembers(caller.workspace())).stream()
        .map(r -> new Member(r.principal, r.role, Instant.ofEpochMilli(r.createdAt), r.createdBy))
        .toList();
  }

  public void setMember(Caller caller, String principal, Role role) {
    requireNonNull(role, "role is null");
    checkPrincipal(principal);
    MemberRow row = new MemberRow();
    row.workspace = caller.workspace();
    row.principal = principal;
    row.role = role;
    row.createdAt = clock.millis();
    row.createdBy = caller.name();
    store.run(
        "set member " + principal,
        m -> {
          m.upsertMember(row);
          access.audit(m, caller, Action.MEMBER_SET, "member:" + principal, "role " + role);
        });
  }

  public boolean removeMember(Caller caller, String principal) {
    checkPrincipal(principal);
    return store.tx(
        "remove member " + principal,
        m -> {
          boolean removed = m.deleteMember(caller.workspace(), principal) > 0;
          if (removed) {
            access.audit(m, caller, Action.MEMBER_REMOVE, "member:" + principal, "removed");
          }
          return removed;
        });
  }

  private static void checkPrincipal(String principal) {
    if (principal == null || !Actor.USER_NAME.matcher(principal).matches()) {
      throw new InvalidRequestException(
          "principal", "must be a user name (" + Actor.USER_NAME.pattern() + ")");
    }
  }

  public void grant(Caller caller, String to, String kind, String name) {
    checkGrant(caller, to, kind, name);
    GrantRow row = new GrantRow();
    row.workspace = to;
    row.kind = kind;
    row.owner = caller.workspace();
    row.name = name;
    row.createdAt = clock.millis();
    row.createdBy = caller.name();
    store.run(
        "grant " + kind + " " + name,
        m -> {
          if (m.selectWorkspace(to) == null) {
            throw new NotFoundException("workspace '" + to + "' does not exist");
          }
          if (m.insertGrant(row) > 0) {
            access.audit(m, caller, Action.GRANT, kind + ":" + name, "granted to workspace " + to);
          }
        });
  }

  public boolean revoke(Caller caller, String to, String kind, String name) {
    checkGrant(caller, to, kind, name);
    return store.tx(
        "revoke " + kind + " " + name,
        m -> {
          boolean gone = m.deleteGrant(to, kind, caller.workspace(), name) > 0;
          if (gone) {
            access.audit(
                m, caller, Action.REVOKE, kind + ":" + name, "revoked from workspace " + to);
          }
          return gone;
        });
  }

  private static void checkGrant(Caller caller, String to, String kind, String name) {
    Workspaces.problem(to)
        .ifPresent(
            p -> {
              throw new InvalidRequestException("to", p);
            });
    if (to.equals(caller.workspace())) {
      throw new InvalidRequestException("to", "a workspace uses its own things without a grant");
    }
    if (kind == null || !KIND.matcher(kind).matches() || kind.equals(WorkspaceAccess.LABEL)) {
      throw new InvalidRequestException(
          "kind",
          "must be datasource, workflow, pool, catalog or a plugin's lower-case kind (labels are"
              + " granted by a platform admin)");
    }
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidRequestException("name", "must be a name (" + NAME.pattern() + ") or *");
    }
  }

  public List<Grant> grants(Caller caller) {
    return store.tx(
        "read grants",
        m -> {
          List<GrantRow> rows = new java.util.ArrayList<>(m.selectGrants(caller.workspace(), null));
          rows.addAll(
              m.selectGrants(null, caller.workspace()).stream()
                  .filter(g -> !g.workspace.equals(caller.workspace()))
                  .toList());
          return rows.stream().map(WorkspaceAdmin::toGrant).toList();
        });
  }

  private static Grant toGrant(GrantRow g) {
    return new Grant(
        g.workspace, g.kind, g.owner, g.name, Instant.ofEpochMilli(g.createdAt), g.createdBy);
  }

  public WorkspaceCaps caps(Caller caller) {
    return store.tx("read caps", m -> Caps.of(m, caller.workspace()));
  }

  public void setCaps(Caller caller, WorkspaceCaps caps) {
    requireNonNull(caps, "caps is null");
    WorkspaceRow row = new WorkspaceRow();
    row.name = caller.workspace();
    Caps.into(caps, row);
    store.run(
        "set caps",
        m -> {
          if (m.updateWorkspaceCaps(row) == 0 && m.selectWorkspace(row.name) == null) {
            throw new NotFoundException("workspace '" + row.name + "' does not exist");
          }
          access.audit(m, caller, Action.CAPS_SET, "workspace:" + row.name, caps.toString());
        });
  }

  public List<AuditEntry> audit(Optional<String> workspace, AuditQuery q) {
    requireNonNull(q, "query is null");
    return store
        .tx(
            "read the audit trail",
            m ->
                m.selectAudit(
                    workspace.orElse(null),
                    q.actor().orElse(null),
                    q.action().orElse(null),
                    q.from().map(Instant::toEpochMilli).orElse(null),
                    q.to().map(Instant::toEpochMilli).orElse(null),
                    q.beforeId().orElse(null),
                    q.limit()))
        .stream()
        .map(WorkspaceAdmin::toEntry)
        .toList();
  }

  private static AuditEntry toEntry(AuditRow r) {
    return new AuditEntry(
        r.id,
        Instant.ofEpochMilli(r.at),
        r.actor,
        r.workspace,
        r.action,
        r.target,
        r.digest,
        Optional.ofNullable(r.address));
  }

  // --- the platform

  /** The platform administration as {@code actor}; each call checks that it may. */
  public PlatformAdmin platformAdmin(Actor actor) {
    requireNonNull(actor, "actor is null");
    // platform-wide rows carry the empty workspace
    Caller caller = new Caller(actor, "");
    return new PlatformAdmin() {
      @Override
      public WorkspaceInfo createWorkspace(String name, String description) {
        access.require(caller, Action.WORKSPACE_CREATE);
        Workspaces.problem(name)
            .ifPresent(
                p -> {
                  throw new InvalidRequestException("name", p);
                });
        String text = description == null ? "" : description;
        if (text.length() > 1024) {
          throw new InvalidRequestException("description", "at most 1024 characters");
        }
        WorkspaceRow row = new WorkspaceRow();
        row.name = name;
        row.description = text;
        row.createdAt = clock.millis();
        row.createdBy = actor.name();
        try {
          store.run(
              "create workspace " + name,
              m -> {
                m.insertWorkspace(row);
                access.audit(m, caller, Action.WORKSPACE_CREATE, "workspace:" + name, "created");
              });
        } catch (io.flinkplatform.engine.StoreException e) {
          if (Store.isDuplicateKey(e, "PRIMARY")) {
            throw new ConflictException("workspace '" + name + "' exists", e);
          }
          throw e;
        }
        return new WorkspaceInfo(name, text, WorkspaceCaps.NONE);
      }

      @Override
      public List<WorkspaceInfo> workspaces() {
        access.require(caller, Action.WORKSPACES_READ);
        return store.tx("read workspaces", StoreMapper::selectWorkspaces).stream()
            .map(r -> new WorkspaceInfo(r.name, r.description, Caps.of(r)))
            .toList();
      }

      @Override
      public void grantLabel(String workspace, String label) {
        access.require(caller, Action.LABEL_GRANT);
        checkLabel(label);
        GrantRow row = new GrantRow();
        row.workspace = workspace;
        row.kind = WorkspaceAccess.LABEL;
        row.owner = "";
        row.name = label;
        row.createdAt = clock.millis();
        row.createdBy = actor.name();
        store.run(
            "grant label " + label,
            m -> {
              if (m.selectWorkspace(workspace) == null) {
                throw new NotFoundException("workspace '" + workspace + "' does not exist");
              }
              if (m.insertGrant(row) > 0) {
                access.audit(
                    m,
                    new Caller(actor, workspace),
                    Action.LABEL_GRANT,
                    "label:" + label,
                    "granted");
              }
            });
      }

      @Override
      public boolean revokeLabel(String workspace, String label) {
        access.require(caller, Action.LABEL_REVOKE);
        checkLabel(label);
        return store.tx(
            "revoke label " + label,
            m -> {
              boolean gone = m.deleteGrant(workspace, WorkspaceAccess.LABEL, "", label) > 0;
              if (gone) {
                access.audit(
                    m,
                    new Caller(actor, workspace),
                    Action.LABEL_REVOKE,
                    "label:" + label,
                    "revoked");
              }
              return gone;
            });
      }

      @Override
      public List<AuditEntry> audit(Optional<String> workspace, AuditQuery query) {
        access.require(caller, Action.AUDIT_READ_ALL);
        return WorkspaceAdmin.this.audit(workspace, query);
      }
    };
  }

  private static void checkLabel(String label) {
    if (label == null
        || !(label.equals("*") || label.matches("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}"))) {
      throw new InvalidRequestException(
          "label", "must be a worker label ([A-Za-z0-9][A-Za-z0-9_.:-]{0,63}) or *");
    }
  }
}
