package io.flinkplatform.engine.internal.definition;

import io.flinkplatform.engine.dag.TaskDefinition;
import io.flinkplatform.spi.SecretNames;
import io.flinkplatform.spi.Secrets;
import io.flinkplatform.spi.TaskConfig;
import io.flinkplatform.spi.TaskOption;
import io.flinkplatform.spi.TaskType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Checks a task against its task type: the type is installed, every option is declared, required
 * ones are given, secret ones are references to an allowed secret name, values convert to their
 * type and are among the allowed values; then, only if all of that holds, the plugin's own check.
 */
final class TaskOptionChecks {
  private final PluginRegistry plugins;
  private final SecretNames secretNames;

  TaskOptionChecks(PluginRegistry plugins, SecretNames secretNames) {
    this.plugins = plugins;
    this.secretNames = secretNames;
  }

  /**
   * Adds the problems of the task's type and options to {@code problems}, for a workflow of {@code
   * workspace}.
   */
  void check(TaskDefinition t, String workspace, List<String> problems) {
    Optional<TaskType> found = plugins.find(t.type());
    if (found.isEmpty()) {
      problems.add(
          "task '"
              + t.id()
              + "': unknown task type '"
              + t.type()
              + "'; known types are "
              + plugins.ids());
      return;
    }
    TaskType type = found.get();
    Map<String, TaskOption> declared =
        type.options().stream()
            .collect(Collectors.toMap(TaskOption::name, o -> o, (a, b) -> a, LinkedHashMap::new));
    int before = problems.size();
    for (String key : t.options().keySet()) {
      if (!declared.containsKey(key)) {
        problems.add(
            "task '"
                + t.id()
                + "': unknown option '"
                + key
                + "' for type '"
                + t.type()
                + "'; supported options are "
                + declared.keySet());
      }
    }
    for (TaskOption o : declared.values()) {
      Object raw = t.options().get(o.name());
      if (raw == null) {
        if (o.required()) {
          problems.add(
              "task '"
                  + t.id()
                  + "': missing required option '"
                  + o.name()
                  + "' ("
                  + o.type()
                  + ": "
                  + o.description()
                  + ")");
        }
        continue;
      }
      if (o.secret()) {
        Optional<String> reference = Secrets.referenceName(raw);
        if (reference.isEmpty()) {
          problems.add(
              "task '"
                  + t.id()
                  + "': option '"
                  + o.name()
                  + "' is a secret: give a reference secret:NAME (NAME of letters, digits, _ . - /),"
                  + " resolved when the task runs; the secret itself is never stored");
        } else {
          reference
              .flatMap(secretNames::problem)
              .ifPresent(
                  p -> problems.add("task '" + t.id() + "': option '" + o.name() + "': " + p));
        }
        continue;
      }
      try {
        Object value = o.type().convert(raw);
        if (!o.allowedValues().isEmpty() && !o.allowedValues().contains(String.valueOf(value))) {
          problems.add(
              "task '"
                  + t.id()
                  + "': option '"
                  + o.name()
                  + "' must be one of "
                  + o.allowedValues()
                  + " but was '"
                  + (o.secret() ? "****" : value)
                  + "'");
        }
      } catch (RuntimeException e) {
        problems.add(
            "task '"
                + t.id()
                + "': option '"
                + o.name()
                + "' "
                + (o.secret() ? "has a value of the wrong type" : e.getMessage()));
      }
    }
    if (problems.size() == before) {
      try {
        for (String p : type.validate(TaskConfig.of(t.options(), type.options()), workspace)) {
          problems.add("task '" + t.id() + "': " + p);
        }
      } catch (RuntimeException e) {
        problems.add("task '" + t.id() + "': options could not be checked: " + e.getMessage());
      }
    }
  }
}
