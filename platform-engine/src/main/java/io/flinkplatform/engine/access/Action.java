package io.flinkplatform.engine.access;

import io.flinkplatform.spi.Role;
import java.util.Optional;

/**
 * What a client call does, with the role it needs in the workspace it acts in; the {@link #id()}
 * names it in {@code AccessDeniedException} and in the audit trail. Actions without a role need a
 * platform administrator ({@link Authorizer#isPlatformAdmin}).
 */
public enum Action {
  READ("read", Role.VIEWER, false),
  VALIDATE("workflow.validate", Role.VIEWER, false),
  DEPLOY("workflow.deploy", Role.EDITOR, true),
  TRIGGER("run.trigger", Role.OPERATOR, true),
  KILL("run.kill", Role.OPERATOR, true),
  RERUN("run.rerun", Role.OPERATOR, true),
  MARK("task.mark", Role.OPERATOR, true),
  SCHEDULE_SAVE("schedule.save", Role.EDITOR, true),
  SCHEDULE_DELETE("schedule.delete", Role.EDITOR, true),
  SCHEDULE_PAUSE("schedule.pause", Role.OPERATOR, true),
  SCHEDULE_RESUME("schedule.resume", Role.OPERATOR, true),
  BACKFILL("backfill.create", Role.OPERATOR, true),
  BACKFILL_CANCEL("backfill.cancel", Role.OPERATOR, true),
  LIMIT_SET("limit.set", Role.ADMIN, true),
  LIMIT_REMOVE("limit.remove", Role.ADMIN, true),
  CAPS_SET("workspace.caps", Role.ADMIN, true),
  MEMBER_SET("member.set", Role.ADMIN, true),
  MEMBER_REMOVE("member.remove", Role.ADMIN, true),
  GRANT("grant.add", Role.ADMIN, true),
  REVOKE("grant.revoke", Role.ADMIN, true),
  RESOURCE_PUT("resource.upload", Role.EDITOR, true),
  RESOURCE_DELETE("resource.delete", Role.EDITOR, true),
  ALERT_CHANNEL_SAVE("alert.channel.save", Role.EDITOR, true),
  ALERT_CHANNEL_DELETE("alert.channel.delete", Role.EDITOR, true),
  ALERT_RULE_SAVE("alert.rule.save", Role.EDITOR, true),
  ALERT_RULE_DELETE("alert.rule.delete", Role.EDITOR, true),
  ALERT_TEST("alert.test", Role.EDITOR, true),
  ALERT_SILENCE("alert.silence", Role.OPERATOR, true),
  ALERT_SILENCE_END("alert.silence.end", Role.OPERATOR, true),
  AUDIT_READ("audit.read", Role.ADMIN, false),
  MEMBERS_READ("member.read", Role.ADMIN, false),
  // platform-wide: a platform administrator
  WORKSPACE_CREATE("workspace.create", null, true),
  TASK_TYPE_LIMIT_SET("limit.task-type", null, true),
  LABEL_GRANT("grant.label", null, true),
  LABEL_REVOKE("revoke.label", null, true),
  USER_CHANGE("user.change", null, true),
  TOKEN_CREATE("token.create", null, true),
  TOKEN_REVOKE("token.revoke", null, true),
  AUDIT_READ_ALL("audit.read-all", null, false),
  WORKSPACES_READ("workspace.read", null, false);

  private final String id;
  private final Role role;
  private final boolean changes;

  Action(String id, Role role, boolean changes) {
    this.id = id;
    this.role = role;
    this.changes = changes;
  }

  /** The name in errors and audit rows, e.g. {@code run.trigger}. */
  public String id() {
    return id;
  }

  /** The role it needs in the workspace; empty for platform-wide actions. */
  public Optional<Role> role() {
    return Optional.ofNullable(role);
  }

  /** Whether it changes something, and so writes an audit row. */
  public boolean changes() {
    return changes;
  }
}
