package io.flinkplatform.tasks.sql;

/** The JDBC driver a datasource needs is not on the class path. The message names the artifact. */
public final class MissingDriverException extends DatasourceException {
  private static final long serialVersionUID = 1L;

  MissingDriverException(String message) {
    super(message);
  }
}
