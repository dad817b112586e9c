package io.flinkplatform.engine.internal.definition;

import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.dag.Bounds;
import io.flinkplatform.engine.dag.DateMacros;
import io.flinkplatform.engine.dag.ParamType;
import io.flinkplatform.engine.dag.TaskDefinition;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.internal.common.Json;
import io.flinkplatform.spi.ParameterNames;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks values of typed workflow parameters. A value with date macros is checked as rendered
 * against the run's logical date (or, where no run exists yet, a sample date), so {@code ${date}}
 * is a valid DATE.
 */
public final class TypedParameters {
  private TypedParameters() {}

  /** One problem, after {@code prefix}, for each of {@code names} that breaks the name rule. */
  private static void nameProblems(Collection<String> names, String prefix, List<String> problems) {
    names.stream()
        .map(ParameterNames::problem)
        .flatMap(Optional::stream)
        .forEach(p -> problems.add(prefix + p));
  }

  /** Deploy time: every default, and every task parameter that overrides a typed one. */
  static List<String> problems(Workflow w) {
    List<String> problems = new ArrayList<>();
    nameProblems(w.parameterTypes().keySet(), "parameterTypes: ", problems);
    nameProblems(w.parameters().keySet(), "workflow parameters: ", problems);
    for (TaskDefinition t : w.tasks()) {
      nameProblems(t.parameters().keySet(), "task '" + t.id() + "' parameters: ", problems);
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
   * Checks the parameters a run, schedule, backfill or child run brings, before anything is
   * written: every name obeys {@link ParameterNames}, every value's date macros render (for untyped
   * parameters too), typed values are of their type, and the map fits its column.
   *
   * @throws InvalidRequestException with the field {@code parameters.<name>} (or {@code parameters}
   *     for the size, or a name too malformed to repeat), saying what is wrong
   */
  public static void checkRequest(Workflow w, Map<String, String> values, Instant logicalDate) {
    for (String name : values.keySet()) {
      Optional<String> problem = ParameterNames.problem(name);
      if (problem.isPresent()) {
        throw new InvalidRequestException(field(name), problem.get());
      }
    }
    ZoneId zone;
    try {
      zone = DateMacros.zone(values);
    } catch (InvalidRequestException e) {
      throw new InvalidRequestException(
          "parameters." + DateMacros.TIMEZONE,
          "'"
              + values.get(DateMacros.TIMEZONE)
              + "' is not a time zone id (e.g. UTC, Europe/Berlin)");
    }
    // untyped values too: a malformed macro fails here, not in every task of the run
    values.forEach((k, v) -> DateMacros.render("parameters." + k, v, logicalDate, zone));
    check(w, values, logicalDate);
    int bytes = Json.write(values).getBytes(StandardCharsets.UTF_8).length;
    if (bytes > Bounds.MAX_PARAMETERS_BYTES) {
      throw new InvalidRequestException(
          "parameters",
          "take "
              + bytes
              + " bytes as JSON (UTF-8), more than the "
              + Bounds.MAX_PARAMETERS_BYTES
              + " allowed");
    }
  }

  /** {@code parameters.<name>} for a name that can be repeated safely, else {@code parameters}. */
  private static String field(String name) {
    return name != null && SAFE.matcher(name).matches() ? "parameters." + name : "parameters";
  }

  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_.%-]{1,64}");

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
