package io.flinkplatform.engine.internal;

import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.dag.DateMacros;
import io.flinkplatform.engine.dag.ParamType;
import io.flinkplatform.engine.dag.TaskDefinition;
import io.flinkplatform.engine.dag.Workflow;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks values of typed workflow parameters. A value with date macros is checked as rendered
 * against the run's logical date (or, where no run exists yet, a sample date), so {@code ${date}}
 * is a valid DATE.
 */
final class TypedParameters {
  private TypedParameters() {}

  /** Deploy time: every default, and every task parameter that overrides a typed one. */
  static List<String> problems(Workflow w) {
    List<String> problems = new ArrayList<>();
    for (String key : w.parameterTypes().keySet()) {
      if (key.isBlank()) {
        problems.add("parameterTypes: a parameter name must not be blank");
      }
    }
    collect(w, w.parameters(), "workflow parameter", problems);
    for (TaskDefinition t : w.tasks()) {
      collect(w, t.parameters(), "task '" + t.id() + "' parameter", problems);
    }
    return problems;
  }

  private static void collect(
      Workflow w, Map<String, String> values, String what, List<String> problems) {
    values.forEach(
        (k, v) -> {
          try {
            check(w, Map.of(k, v), Instant.EPOCH);
          } catch (InvalidRequestException e) {
            problems.add(what + " " + e.getMessage());
          }
        });
  }

  /**
   * Checks the values of a run, schedule or backfill against the workflow's declared types.
   *
   * @throws InvalidRequestException with the field {@code parameters.<name>}, naming the value and
   *     the type
   */
  static void check(Workflow w, Map<String, String> values, Instant logicalDate) {
    if (w.parameterTypes().isEmpty()) {
      return;
    }
    ZoneId zone;
    try {
      zone = DateMacros.zone(values);
    } catch (InvalidRequestException e) {
      zone = ZoneId.of("UTC"); // reported elsewhere
    }
    for (Map.Entry<String, String> e : values.entrySet()) {
      ParamType type = w.parameterType(e.getKey());
      if (type == ParamType.STRING) {
        continue;
      }
      String value = e.getValue();
      if (value.contains("${")) {
        try {
          value = DateMacros.render("parameter '" + e.getKey() + "'", value, logicalDate, zone);
        } catch (InvalidRequestException bad) {
          throw new InvalidRequestException("parameters." + e.getKey(), bad.getMessage());
        }
      }
      type.check(e.getKey(), value);
    }
  }
}
