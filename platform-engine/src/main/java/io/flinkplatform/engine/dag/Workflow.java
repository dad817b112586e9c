package io.flinkplatform.engine.dag;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A named DAG of tasks joined by edges: the definition that is deployed as a new version and run.
 *
 * <p>Build one in Java with {@link #builder(String)}, or read it from JSON with {@link
 * WorkflowJson}; both forms round-trip. Building does not validate: problems such as cycles,
 * duplicate ids or unknown task types are all reported together when the workflow is deployed (or
 * checked with {@code PlatformClient.validate}).
 */
public record Workflow(
    String name,
    String description,
    Map<String, String> parameters,
    List<TaskDefinition> tasks,
    List<Edge> edges,
    Map<String, ParamType> parameterTypes,
    int priority,
    Optional<Integer> maxActiveRuns,
    Optional<Integer> maxParallelTasks) {

  /** A workflow whose parameters are all strings, with default priority and no limits. */
  public Workflow(
      String name,
      String description,
      Map<String, String> parameters,
      List<TaskDefinition> tasks,
      List<Edge> edges) {
    this(name, description, parameters, tasks, edges, Map.of());
  }

  /** A workflow with typed parameters, default priority and no limits. */
  public Workflow(
      String name,
      String description,
      Map<String, String> parameters,
      List<TaskDefinition> tasks,
      List<Edge> edges,
      Map<String, ParamType> parameterTypes) {
    this(
        name,
        description,
        parameters,
        tasks,
        edges,
        parameterTypes,
        0,
        Optional.empty(),
        Optional.empty());
  }

  /**
   * @param parameters the workflow's parameters with their default values
   * @param parameterTypes the declared types of parameters (with or without a default); a parameter
   *     not listed is a {@link ParamType#STRING}
   */
  public Workflow {
    requireNonNull(name, "name is null");
    requireNonNull(description, "description is null");
    parameters = ImmutableMap.copyOf(requireNonNull(parameters, "parameters is null"));
    tasks = ImmutableList.copyOf(requireNonNull(tasks, "tasks is null"));
    edges = ImmutableList.copyOf(requireNonNull(edges, "edges is null"));
    requireNonNull(maxActiveRuns, "maxActiveRuns is null");
    requireNonNull(maxParallelTasks, "maxParallelTasks is null");
    parameterTypes = ImmutableMap.copyOf(requireNonNull(parameterTypes, "parameterTypes is null"));
  }

  /** The declared type of a parameter; {@link ParamType#STRING} if none was declared. */
  public ParamType parameterType(String key) {
    return parameterTypes.getOrDefault(key, ParamType.STRING);
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** The task with this id, if there is one. */
  public Optional<TaskDefinition> task(String id) {
    return tasks.stream().filter(t -> t.id().equals(id)).findFirst();
  }

  /** Builds a {@link Workflow}. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private String description = "";
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private final Map<String, ParamType> parameterTypes = new LinkedHashMap<>();
    private final List<TaskDefinition> tasks = new ArrayList<>();
    private final List<Edge> edges = new ArrayList<>();
    private int priority;
    private Integer maxActiveRuns;
    private Integer maxParallelTasks;

    private Builder(String name) {
      this.name = requireNonNull(name, "name is null");
    }

    public Builder description(String description) {
      this.description = requireNonNull(description, "description is null");
      return this;
    }

    /** A workflow parameter with its default value; a run's parameters override it. */
    public Builder parameter(String key, String defaultValue) {
      parameters.put(
          requireNonNull(key, "key is null"), requireNonNull(defaultValue, "value is null"));
      return this;
    }

    /**
     * The workflow's priority (default 0), added to each task's priority: claims take ready tasks
     * in order of the sum, and waiting tasks age up so low priorities are not starved.
     */
    public Builder priority(int priority) {
      this.priority = priority;
      return this;
    }

    /**
     * At most this many runs of the workflow are active at once, across all instances; later runs
     * wait in CREATED and start oldest logical date first.
     */
    public Builder maxActiveRuns(int maxActiveRuns) {
      this.maxActiveRuns = maxActiveRuns;
      return this;
    }

    /** At most this many tasks of all runs of the workflow run at once, across all instances. */
    public Builder maxParallelTasks(int maxParallelTasks) {
      this.maxParallelTasks = maxParallelTasks;
      return this;
    }

    /**
     * A typed workflow parameter with its default value; the default and every override must be of
     * {@code type} (checked at deploy, trigger, schedule and backfill time).
     */
    public Builder parameter(String key, ParamType type, String defaultValue) {
      parameter(key, defaultValue);
      return parameterType(key, type);
    }

    /**
     * Declares the type of a parameter without a default: runs may set it, and what they set must
     * be of {@code type}.
     */
    public Builder parameterType(String key, ParamType type) {
      parameterTypes.put(requireNonNull(key, "key is null"), requireNonNull(type, "type is null"));
      return this;
    }

    /** Adds a task with default settings. */
    public Builder task(String id, String type) {
      return task(id, type, t -> {});
    }

    /**
     * Adds a task configured by {@code spec}, e.g. {@code t -> t.option("command",
     * "ls").after("a")}.
     */
    public Builder task(String id, String type, Consumer<TaskSpec> spec) {
      TaskSpec t = new TaskSpec(id, type);
      spec.accept(t);
      tasks.add(t.definition());
      t.upstream.forEach(e -> edges.add(new Edge(e.from(), id, e.on())));
      return this;
    }

    /** Adds an edge that fires on {@code on}. */
    public Builder edge(String from, String to, EdgeCondition on) {
      edges.add(new Edge(from, to, on));
      return this;
    }

    /** Adds an edge that fires on success. */
    public Builder edge(String from, String to) {
      return edge(from, to, EdgeCondition.SUCCESS);
    }

    public Workflow build() {
      return new Workflow(
          name,
          description,
          parameters,
          tasks,
          edges,
          parameterTypes,
          priority,
          Optional.ofNullable(maxActiveRuns),
          Optional.ofNullable(maxParallelTasks));
    }
  }

  /** The settings of one task while a workflow is built. */
  public static final class TaskSpec {
    private final String id;
    private final String type;
    private final Map<String, Object> options = new LinkedHashMap<>();
    private final List<Edge> upstream = new ArrayList<>();
    private TriggerRule triggerRule = TriggerRule.ALL_MATCHED;
    private RetryPolicy retry = RetryPolicy.NONE;
    private Duration timeout;
    private int priority;
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private String label;
    private String pool;

    private TaskSpec(String id, String type) {
      this.id = requireNonNull(id, "id is null");
      this.type = requireNonNull(type, "type is null");
    }

    /** Sets an option; values are strings, numbers, booleans, lists or maps. */
    public TaskSpec option(String key, Object value) {
      options.put(requireNonNull(key, "key is null"), requireNonNull(value, "value is null"));
      return this;
    }

    /** Runs after each of {@code upstreamIds} succeeded. */
    public TaskSpec after(String... upstreamIds) {
      for (String u : upstreamIds) {
        upstream.add(new Edge(u, id, EdgeCondition.SUCCESS));
      }
      return this;
    }

    /** Runs after {@code upstreamId} ended with an outcome matching {@code on}. */
    public TaskSpec after(String upstreamId, EdgeCondition on) {
      upstream.add(new Edge(upstreamId, id, on));
      return this;
    }

    public TaskSpec triggerRule(TriggerRule rule) {
      this.triggerRule = requireNonNull(rule, "rule is null");
      return this;
    }

    public TaskSpec retry(RetryPolicy retry) {
      this.retry = requireNonNull(retry, "retry is null");
      return this;
    }

    public TaskSpec timeout(Duration timeout) {
      this.timeout = requireNonNull(timeout, "timeout is null");
      return this;
    }

    public TaskSpec priority(int priority) {
      this.priority = priority;
      return this;
    }

    /**
     * A parameter of this task only; it overrides global, workflow and run parameters of the same
     * name. Values may hold date macros (see {@link DateMacros}).
     */
    public TaskSpec parameter(String key, String value) {
      parameters.put(requireNonNull(key, "key is null"), requireNonNull(value, "value is null"));
      return this;
    }

    /** Only instances started with this label ({@code Platform.builder().labels(..)}) run it. */
    public TaskSpec label(String label) {
      this.label = requireNonNull(label, "label is null");
      return this;
    }

    /**
     * Takes a slot of the named pool while it runs; the pool's slot count ({@code
     * PlatformClient.setPool}) holds across all instances. A pool nobody defined has no limit.
     */
    public TaskSpec pool(String pool) {
      this.pool = requireNonNull(pool, "pool is null");
      return this;
    }

    TaskDefinition definition() {
      return new TaskDefinition(
          id,
          type,
          options,
          triggerRule,
          retry,
          Optional.ofNullable(timeout),
          priority,
          parameters,
          Optional.ofNullable(label),
          Optional.ofNullable(pool));
    }
  }
}
