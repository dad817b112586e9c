package io.flinkplatform.tasks.sql;

/**
 * A datasource problem: it does not exist, exists already, its driver is missing, its password
 * cannot be had, or the platform database failed. Messages never hold a password.
 */
public class DatasourceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DatasourceException(String message) {
    super(message);
  }

  public DatasourceException(String message, Throwable cause) {
    super(message, cause);
  }
}
