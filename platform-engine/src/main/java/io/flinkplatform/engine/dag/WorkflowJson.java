package io.flinkplatform.engine.dag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flinkplatform.engine.WorkflowValidationException;
import io.flinkplatform.spi.OptionType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON form of a {@link Workflow}. {@code read(write(w))} equals {@code w}.
 *
 * <pre>{@code
 * {"name": "daily_etl", "description": "", "parameters": {"env": "prod", "limit": "100"},
 *  "parameterTypes": {"limit": "INTEGER"},
 *  "tasks": [{"id": "extract", "type": "shell", "options": {"command": "..."},
 *             "triggerRule": "ALL_MATCHED", "priority": 0, "timeout": "PT10M",
 *             "retry": {"maxRetries": 2, "backoff": "FIXED", "delay": "PT10S", "maxDelay": "PT10S"}}],
 *  "edges": [{"from": "extract", "to": "load", "on": "SUCCESS"}]}
 * }</pre>
 *
 * Defaults: {@code triggerRule} ALL_MATCHED, {@code priority} 0, no timeout, no retry, edge {@code
 * on} SUCCESS.
 */
public final class WorkflowJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private WorkflowJson() {}

  public static String write(Workflow w) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("name", w.name());
    root.put("description", w.description());
    root.set("parameters", MAPPER.valueToTree(w.parameters()));
    if (w.priority() != 0) {
      root.put("priority", w.priority());
    }
    w.maxActiveRuns().ifPresent(n -> root.put("maxActiveRuns", n));
    w.maxParallelTasks().ifPresent(n -> root.put("maxParallelTasks", n));
    if (!w.parameterTypes().isEmpty()) {
      ObjectNode types = root.putObject("parameterTypes");
      w.parameterTypes().forEach((k, v) -> types.put(k, v.name()));
    }
    ArrayNode tasks = root.putArray("tasks");
    for (TaskDefinition t : w.tasks()) {
      ObjectNode n = tasks.addObject();
      n.put("id", t.id());
      n.put("type", t.type());
      n.set("options", MAPPER.valueToTree(t.options()));
      n.put("triggerRule", t.triggerRule().name());
      n.put("priority", t.priority());
      if (!t.parameters().isEmpty()) {
        n.set("parameters", MAPPER.valueToTree(t.parameters()));
      }
      t.timeout().ifPresent(d -> n.put("timeout", d.toString()));
      t.label().ifPresent(l -> n.put("label", l));
      t.pool().ifPresent(l -> n.put("pool", l));
      if (t.retry().maxRetries() > 0) {
        ObjectNode r = n.putObject("retry");
        r.put("maxRetries", t.retry().maxRetries());
        r.put("backoff", t.retry().backoff().name());
        r.put("delay", t.retry().delay().toString());
        r.put("maxDelay", t.retry().maxDelay().toString());
      }
    }
    ArrayNode edges = root.putArray("edges");
    for (Edge e : w.edges()) {
      edges.addObject().put("from", e.from()).put("to", e.to()).put("on", e.on().name());
    }
    try {
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write workflow " + w.name(), e);
    }
  }

  /**
   * Reads a workflow. Every problem in the document is reported at once, each naming its JSON path.
   * Nothing is coerced: an integer field takes only a JSON integer that fits 32 bits, a text field
   * only a string, a parameter value only a string, number or boolean, an option never null.
   *
   * @throws WorkflowValidationException listing what is wrong with the JSON
   */
  public static Workflow read(String json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new WorkflowValidationException(
          "?", List.of("not valid JSON: " + e.getOriginalMessage()));
    }
    List<String> problems = new ArrayList<>();
    if (!root.isObject()) {
      throw new WorkflowValidationException("?", List.of("the document must be a JSON object"));
    }
    String name = text(root, "name", "workflow", problems);
    Workflow.Builder b = Workflow.builder(name == null ? "?" : name);
    optionalText(root, "description", "", problems).ifPresent(b::description);
    integer(root, "priority", "", problems).ifPresent(b::priority);
    integer(root, "maxActiveRuns", "", problems).ifPresent(b::maxActiveRuns);
    integer(root, "maxParallelTasks", "", problems).ifPresent(b::maxParallelTasks);
    object(root, "parameters", "", problems)
        .forEach(
            e -> {
              String v = scalar(e.getValue(), "parameters." + e.getKey(), problems);
              if (v != null) {
                b.parameter(e.getKey(), v);
              }
            });
    JsonNode types = root.path("parameterTypes");
    object(root, "parameterTypes", "", problems)
        .forEach(
            e -> {
              ParamType type =
                  enumValue(types, e.getKey(), ParamType.class, null, "parameterTypes", problems);
              if (type != null) {
                b.parameterType(e.getKey(), type);
              }
            });
    int i = 0;
    for (JsonNode t : array(root, "tasks", problems)) {
      readTask(b, t, "tasks[" + i++ + "]", problems);
    }
    i = 0;
    for (JsonNode e : array(root, "edges", problems)) {
      String where = "edges[" + i++ + "]";
      String from = text(e, "from", where, problems);
      String to = text(e, "to", where, problems);
      EdgeCondition on =
          enumValue(e, "on", EdgeCondition.class, EdgeCondition.SUCCESS, where, problems);
      if (from != null && to != null && on != null) {
        b.edge(from, to, on);
      }
    }
    if (!problems.isEmpty()) {
      throw new WorkflowValidationException(name == null ? "?" : name, problems);
    }
    return b.build();
  }

  private static void readTask(
      Workflow.Builder b, JsonNode t, String where, List<String> problems) {
    if (!t.isObject()) {
      problems.add(where + ": a task must be a JSON object");
      return;
    }
    String id = text(t, "id", where, problems);
    String type = text(t, "type", where, problems);
    String at = id == null ? where : where + " (task '" + id + "')";
    TriggerRule rule =
        enumValue(t, "triggerRule", TriggerRule.class, TriggerRule.ALL_MATCHED, at, problems);
    Duration timeout = duration(t.get("timeout"), at + ".timeout", problems);
    RetryPolicy retry = retry(t.get("retry"), at, problems);
    Map<String, Object> options = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> f : object(t, "options", at + ".", problems)) {
      if (f.getValue().isNull()) {
        problems.add(
            at + ".options." + f.getKey() + ": must not be null (leave the option out instead)");
      } else {
        options.put(f.getKey(), MAPPER.convertValue(f.getValue(), Object.class));
      }
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> f : object(t, "parameters", at + ".", problems)) {
      String v = scalar(f.getValue(), at + ".parameters." + f.getKey(), problems);
      if (v != null) {
        params.put(f.getKey(), v);
      }
    }
    Optional<Integer> priority = integer(t, "priority", at + ".", problems);
    Optional<String> label = optionalText(t, "label", at + ".", problems);
    Optional<String> pool = optionalText(t, "pool", at + ".", problems);
    if (id == null || type == null || rule == null || retry == null) {
      return;
    }
    b.task(
        id,
        type,
        s -> {
          options.forEach(s::option);
          params.forEach(s::parameter);
          s.triggerRule(rule).retry(retry).priority(priority.orElse(0));
          Optional.ofNullable(timeout).ifPresent(s::timeout);
          label.ifPresent(s::label);
          pool.ifPresent(s::pool);
        });
  }

  private static RetryPolicy retry(JsonNode r, String at, List<String> problems) {
    if (r == null || r.isNull()) {
      return RetryPolicy.NONE;
    }
    if (!r.isObject()) {
      problems.add(at + ".retry: must be a JSON object");
      return null;
    }
    RetryPolicy.Backoff backoff =
        enumValue(
            r,
            "backoff",
            RetryPolicy.Backoff.class,
            RetryPolicy.Backoff.FIXED,
            at + ".retry",
            problems);
    Duration delay = duration(r.get("delay"), at + ".retry.delay", problems);
    Duration maxDelay = duration(r.get("maxDelay"), at + ".retry.maxDelay", problems);
    int before = problems.size();
    int maxRetries = integer(r, "maxRetries", at + ".retry.", problems).orElse(0);
    if (problems.size() > before) {
      return null;
    }
    if (maxRetries < 0) {
      problems.add(at + ": retry.maxRetries must be >= 0 but was " + maxRetries);
      return null;
    }
    if (backoff == null) {
      return null;
    }
    Duration d = delay == null ? Duration.ZERO : delay;
    return new RetryPolicy(maxRetries, backoff, d, maxDelay == null ? d : maxDelay);
  }

  private static Duration duration(JsonNode n, String at, List<String> problems) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      problems.add(at + ": must be a duration text such as \"PT10M\" or \"10m\", not " + n);
      return null;
    }
    try {
      return OptionType.parseDuration(n.asText());
    } catch (IllegalArgumentException e) {
      problems.add(at + ": " + e.getMessage());
      return null;
    }
  }

  /** A 32-bit integer field, written as a JSON integer; absent or null is empty. */
  private static Optional<Integer> integer(
      JsonNode n, String field, String at, List<String> problems) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      problems.add(at + field + ": must be a 32-bit JSON integer but was " + cut(v));
      return Optional.empty();
    }
    return Optional.of(v.intValue());
  }

  /** A text field; absent or null is empty. */
  private static Optional<String> optionalText(
      JsonNode n, String field, String at, List<String> problems) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      problems.add(at + field + ": must be a JSON string but was " + cut(v));
      return Optional.empty();
    }
    return Optional.of(v.asText());
  }

  /** A parameter value: a string, number or boolean, as text. */
  private static String scalar(JsonNode v, String at, List<String> problems) {
    if (v.isTextual() || v.isNumber() || v.isBoolean()) {
      return v.asText();
    }
    problems.add(at + ": a parameter value must be a string, number or boolean but was " + cut(v));
    return null;
  }

  /** The fields of an object-valued field; absent or null has none. */
  private static Iterable<Map.Entry<String, JsonNode>> object(
      JsonNode n, String field, String at, List<String> problems) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (!v.isObject()) {
      problems.add(at + field + ": must be a JSON object but was " + cut(v));
      return List.of();
    }
    return v.properties();
  }

  private static Iterable<JsonNode> array(JsonNode n, String field, List<String> problems) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (!v.isArray()) {
      problems.add(field + ": must be a JSON array but was " + cut(v));
      return List.of();
    }
    return v;
  }

  /** The value as JSON, cut for messages. */
  private static String cut(JsonNode v) {
    String s = v.toString();
    return s.length() > 60 ? s.substring(0, 60) + "…" : s;
  }

  private static String text(JsonNode n, String field, String at, List<String> problems) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      problems.add(at + ": field '" + field + "' is required and must be a non-empty string");
      return null;
    }
    return v.asText();
  }

  private static <E extends Enum<E>> E enumValue(
      JsonNode n, String field, Class<E> type, E dflt, String at, List<String> problems) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isTextual()) {
      problems.add(
          at
              + ": "
              + field
              + " must be one of "
              + java.util.Arrays.toString(type.getEnumConstants())
              + " but was "
              + cut(v));
      return null;
    }
    try {
      return Enum.valueOf(type, v.asText().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      problems.add(
          at
              + ": "
              + field
              + " '"
              + v.asText()
              + "' is not one of "
              + java.util.Arrays.toString(type.getEnumConstants()));
      return null;
    }
  }
}
