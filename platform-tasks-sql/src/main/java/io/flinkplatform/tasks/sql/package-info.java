/**
 * The {@code sql} task plugin: a registry of datasources kept in the platform database, with
 * passwords sealed at rest or resolved from the platform's secret source; pooled connections per
 * datasource; and the {@code sql} task type, which splits a script with a dialect-aware lexer and
 * runs it statement by statement with bind parameters, an optional transaction, timeouts and
 * cancellation.
 *
 * <p>Public API: {@link io.flinkplatform.tasks.sql.SqlTaskPlugin}, {@link
 * io.flinkplatform.tasks.sql.DatasourceRegistry} and the values it takes and returns. Depends on
 * {@code platform-spi}, HikariCP and SLF4J; JDBC drivers come from the host. See {@code
 * docs/tasks/sql.md}.
 */
package io.flinkplatform.tasks.sql;
