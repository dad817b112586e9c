package io.flinkplatform.engine.internal.store;

import io.flinkplatform.spi.Role;

/** A user's role in a workspace (t_member). */
public final class MemberRow {
  public String workspace;
  public String principal;
  public Role role;
  public long createdAt;
  public String createdBy;
}
