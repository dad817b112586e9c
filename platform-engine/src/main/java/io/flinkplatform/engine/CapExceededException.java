package io.flinkplatform.engine;

import static java.util.Objects.requireNonNull;

/**
 * A request goes beyond a cap of its workspace ({@link
 * io.flinkplatform.engine.access.WorkspaceCaps}); nothing was written.
 */
public class CapExceededException extends InvalidRequestException {
  private static final long serialVersionUID = 1L;
  private final String workspace;
  private final String cap;

  /**
   * @param workspace the workspace whose cap it is
   * @param cap the cap, e.g. {@code maxTasksPerWorkflow}
   * @param field the field of the request that goes beyond it
   * @param message the value and the cap's bound
   */
  public CapExceededException(String workspace, String cap, String field, String message) {
    super(
        field,
        message
            + " (cap "
            + requireNonNull(cap, "cap is null")
            + " of workspace '"
            + requireNonNull(workspace, "workspace is null")
            + "')");
    this.workspace = workspace;
    this.cap = cap;
  }

  public String workspace() {
    return workspace;
  }

  /** The cap's name, as in {@code WorkspaceCaps}. */
  public String cap() {
    return cap;
  }
}
