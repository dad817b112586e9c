package io.flinkplatform.engine.internal.query;

import io.flinkplatform.engine.dag.Edge;
import io.flinkplatform.engine.dag.TaskDefinition;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.internal.model.LatestAttempts;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Pictures of a run for people: a Mermaid flowchart with each task's latest state. */
public final class Diagrams {
  private Diagrams() {}

  static String mermaid(Workflow w, List<TaskAttempt> attempts) {
    Map<String, TaskAttempt> latest =
        LatestAttempts.of(attempts, TaskAttempt::taskId, TaskAttempt::attempt);
    Map<String, String> node = new HashMap<>();
    StringBuilder sb = new StringBuilder("flowchart LR\n");
    int i = 0;
    for (TaskDefinition t : w.tasks()) {
      String id = "t" + i++;
      node.put(t.id(), id);
      TaskAttempt a = latest.get(t.id());
      TaskState s = a == null ? TaskState.WAITING : a.state();
      String attemptsText = a != null && a.attempt() > 1 ? " (" + a.attempt() + " attempts)" : "";
      sb.append("  ")
          .append(id)
          .append("[\"")
          .append(escape(t.id()))
          .append("<br/>")
          .append(s)
          .append(attemptsText)
          .append("\"]:::")
          .append(s.name().toLowerCase(Locale.ROOT))
          .append('\n');
    }
    for (Edge e : w.edges()) {
      sb.append("  ").append(node.get(e.from()));
      switch (e.on()) {
        case SUCCESS -> sb.append(" --> ");
        case FAILURE -> sb.append(" -. on failure .-> ");
        case ALWAYS -> sb.append(" == always ==> ");
        case RUNNING -> sb.append(" -- while running --> ");
        default -> throw new AssertionError();
      }
      sb.append(node.get(e.to())).append('\n');
    }
    sb.append("  classDef success fill:#c8e6c9,stroke:#2e7d32\n")
        .append("  classDef failed fill:#ffcdd2,stroke:#c62828\n")
        .append("  classDef upstream_failed fill:#ffe0b2,stroke:#ef6c00\n")
        .append("  classDef skipped fill:#eeeeee,stroke:#9e9e9e\n")
        .append("  classDef killed fill:#d1c4e9,stroke:#4527a0\n")
        .append("  classDef running fill:#bbdefb,stroke:#1565c0\n")
        .append("  classDef ready fill:#fff9c4,stroke:#f9a825\n")
        .append("  classDef waiting fill:#ffffff,stroke:#bdbdbd\n");
    return sb.toString();
  }

  private static String escape(String s) {
    return s.replace("\"", "#quot;");
  }
}
