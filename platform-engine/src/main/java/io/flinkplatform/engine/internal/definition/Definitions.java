package io.flinkplatform.engine.internal.definition;

import com.google.common.cache.CacheBuilder;
import com.google.common.cache.CacheLoader;
import com.google.common.cache.LoadingCache;
import com.google.common.util.concurrent.UncheckedExecutionException;
import io.flinkplatform.engine.NotFoundException;
import io.flinkplatform.engine.dag.TaskDefinition;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.dag.WorkflowJson;
import io.flinkplatform.engine.internal.store.FlowRow;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.spi.Workspaces;
import java.util.List;

/**
 * Deployed workflow versions by row id. Versions never change once deployed, so they are cached
 * without expiry (bounded in size).
 */
public final class Definitions {
  private final LoadingCache<Long, Dag> cache;

  public Definitions(Store store, PluginRegistry plugins) {
    this.cache =
        CacheBuilder.newBuilder()
            .maximumSize(2_000)
            .build(
                new CacheLoader<>() {
                  @Override
                  public Dag load(Long id) {
                    FlowRow row =
                        store.tx("load workflow version " + id, m -> m.selectFlowById(id));
                    if (row == null) {
                      throw new NotFoundException(
                          "workflow version with id " + id + " does not exist");
                    }
                    try {
                      return toDag(row, plugins);
                    } catch (RuntimeException e) {
                      throw new UnreadableDefinitionException(row.name, row.version, e);
                    }
                  }
                });
  }

  static Dag toDag(FlowRow row, PluginRegistry plugins) {
    return new Dag(
        row.id, row.version, scopePools(row, WorkflowJson.read(row.definition)), plugins);
  }

  /**
   * The workflow with each task's pool named workspace/pool, as the claim counts it: attempts take
   * the pool from here, so a pool name of one workspace never shares slots with another's.
   */
  private static Workflow scopePools(FlowRow row, Workflow w) {
    if (w.tasks().stream().noneMatch(t -> t.pool().isPresent())) {
      return w;
    }
    String workspace = row.workspace == null ? Workspaces.DEFAULT : row.workspace;
    List<TaskDefinition> tasks =
        w.tasks().stream()
            .map(
                t ->
                    t.pool().isEmpty()
                        ? t
                        : new TaskDefinition(
                            t.id(),
                            t.type(),
                            t.options(),
                            t.triggerRule(),
                            t.retry(),
                            t.timeout(),
                            t.priority(),
                            t.parameters(),
                            t.label(),
                            t.pool().map(p -> Workspaces.resolve(workspace, p).qualified())))
            .toList();
    return new Workflow(
        w.name(),
        w.description(),
        w.parameters(),
        tasks,
        w.edges(),
        w.parameterTypes(),
        w.priority(),
        w.maxActiveRuns(),
        w.maxParallelTasks());
  }

  /**
   * The version with the given row id.
   *
   * @throws UnreadableDefinitionException if the stored version cannot be read
   */
  public Dag get(long flowId) {
    try {
      return cache.getUnchecked(flowId);
    } catch (UncheckedExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  void put(Dag dag) {
    cache.put(dag.flowId, dag);
  }
}
