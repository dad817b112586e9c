package io.flinkplatform.tasks.sql;

import io.flinkplatform.spi.ApiFailure;

/**
 * A datasource problem: it does not exist, exists already, its driver is missing, its password
 * cannot be had, or the platform database failed. Messages never hold a password, so the console
 * shows them ({@link ApiFailure}: 409, 404 for {@link DatasourceNotFoundException}).
 */
public class DatasourceException extends RuntimeException implements ApiFailure {
  private static final long serialVersionUID = 1L;

  public DatasourceException(String message) {
    super(message);
  }

  public DatasourceException(String message, Throwable cause) {
    super(message, cause);
  }
}
