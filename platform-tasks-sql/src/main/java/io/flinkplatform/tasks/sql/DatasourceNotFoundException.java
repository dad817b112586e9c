package io.flinkplatform.tasks.sql;

import java.util.List;

/** No datasource has the name asked for. */
public final class DatasourceNotFoundException extends DatasourceException {
  private static final long serialVersionUID = 1L;

  DatasourceNotFoundException(String name, List<String> known) {
    super("datasource '" + name + "' does not exist; known datasources: " + known);
  }
}
