package io.flinkplatform.engine.internal.resource;

import io.flinkplatform.engine.internal.store.StoreMapper;
import io.flinkplatform.engine.internal.store.TaskOptionsRow;
import io.flinkplatform.spi.StoredResources;
import io.flinkplatform.spi.Workspaces;
import java.util.ArrayList;
import java.util.List;

/**
 * Which deployed tasks name a resource: every stored version of every workflow (workflows are never
 * deleted), of any workspace, whose options hold a {@code resource:} reference that resolves to it,
 * whether as an option's whole value or inside a text (an {@code ADD JAR} statement).
 */
final class ResourceReferences {
  private ResourceReferences() {}

  /**
   * The tasks naming {@code resource}, each as {@code workflow vN task t} (with the workspace in
   * front when it is not the resource's), in workspace, workflow, version and task order.
   */
  static List<String> of(StoreMapper m, Workspaces.Ref resource) {
    List<String> found = new ArrayList<>();
    for (TaskOptionsRow t : m.selectTasksMentioning(resource.name())) {
      boolean names =
          StoredResources.findIn(t.workspace, t.options).stream()
              .anyMatch(r -> r.resource().equals(resource));
      if (names) {
        found.add(
            (t.workspace.equals(resource.workspace()) ? "" : t.workspace + "/")
                + t.workflow
                + " v"
                + t.version
                + " task "
                + t.taskId);
      }
    }
    return found;
  }
}
