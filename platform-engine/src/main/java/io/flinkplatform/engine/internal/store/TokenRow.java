package io.flinkplatform.engine.internal.store;

/** An API token (t_api_token): the hash of its secret, never the secret. */
public final class TokenRow {
  public long id;
  public String userName;
  public String name;
  public String tokenHash;
  public long createdAt;
  public long expiresAt;
  public Long revokedAt;
  public Long lastUsedAt;
}
