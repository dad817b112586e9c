package io.flinkplatform.tasks.sql;

/**
 * A datasource names a secret outside the platform's secret names ({@code
 * Platform.builder().secretNames(...)}, {@link io.flinkplatform.spi.SecretNames}).
 */
public final class SecretNotAllowedException extends DatasourceException {
  private static final long serialVersionUID = 1L;

  public SecretNotAllowedException(String message) {
    super(message);
  }
}
