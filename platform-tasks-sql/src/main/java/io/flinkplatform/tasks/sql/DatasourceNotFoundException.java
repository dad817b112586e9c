package io.flinkplatform.tasks.sql;

import io.flinkplatform.spi.Workspaces;
import java.util.List;

/** No datasource has the name asked for in the workspace asked in. */
public final class DatasourceNotFoundException extends DatasourceException {
  private static final long serialVersionUID = 1L;

  DatasourceNotFoundException(String name, String workspace, List<String> known) {
    super(
        "datasource '"
            + name
            + "' does not exist"
            + (Workspaces.DEFAULT.equals(workspace) ? "" : " in workspace '" + workspace + "'")
            + "; known datasources: "
            + known);
  }
}
