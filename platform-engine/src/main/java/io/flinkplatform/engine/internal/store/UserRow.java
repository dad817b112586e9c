package io.flinkplatform.engine.internal.store;

/**
 * A user of the built-in store (t_user); {@code passwordHash} never leaves the identity package.
 */
public final class UserRow {
  public String name;
  public String displayName;
  public String passwordHash;
  public boolean platformAdmin;
  public boolean disabled;
  public long createdAt;
  public long updatedAt;
}
