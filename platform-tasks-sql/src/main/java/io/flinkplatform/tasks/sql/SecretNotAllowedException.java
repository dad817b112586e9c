package io.flinkplatform.tasks.sql;

/** A datasource names a secret outside the setting {@code sql.secretNames}. */
public final class SecretNotAllowedException extends DatasourceException {
  private static final long serialVersionUID = 1L;

  public SecretNotAllowedException(String message) {
    super(message);
  }
}
