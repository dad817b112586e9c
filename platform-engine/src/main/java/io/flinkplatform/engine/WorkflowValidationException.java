package io.flinkplatform.engine;

import java.util.List;

/** A workflow definition has problems; all of them are listed, and nothing was written. */
public final class WorkflowValidationException extends PlatformException {
  private final String workflowName;
  private final List<String> problems;

  public WorkflowValidationException(String workflowName, List<String> problems) {
    super(format(workflowName, problems));
    this.workflowName = workflowName;
    this.problems = List.copyOf(problems);
  }

  public String workflowName() {
    return workflowName;
  }

  /** Every problem found, one sentence each. */
  public List<String> problems() {
    return problems;
  }

  private static String format(String workflowName, List<String> problems) {
    StringBuilder sb =
        new StringBuilder("workflow '")
            .append(workflowName)
            .append("' is invalid (")
            .append(problems.size())
            .append(problems.size() == 1 ? " problem" : " problems")
            .append("); nothing was deployed:");
    problems.forEach(p -> sb.append("\n  - ").append(p));
    return sb.toString();
  }
}
