package io.flinkplatform.spi;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * An actor asked for something its role in the workspace does not allow, or for something in a
 * workspace it may not use. Nothing was written.
 */
public class AccessDeniedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String actor;
  private final String workspace;
  private final String action;
  private final transient Optional<Role> needed;

  /**
   * @param actor the actor's name
   * @param workspace the workspace the action is in
   * @param action the action asked for, e.g. {@code run.trigger}
   * @param needed the role the action needs, if a role would allow it
   * @param why what is missing, for the message
   */
  public AccessDeniedException(
      String actor, String workspace, String action, Optional<Role> needed, String why) {
    super(
        "access denied: '"
            + requireNonNull(actor, "actor is null")
            + "' may not "
            + requireNonNull(action, "action is null")
            + " in workspace '"
            + requireNonNull(workspace, "workspace is null")
            + "'"
            + (needed.isPresent() ? " (needs role " + needed.get() + ")" : "")
            + ": "
            + requireNonNull(why, "why is null"));
    this.actor = actor;
    this.workspace = workspace;
    this.action = action;
    this.needed = needed;
  }

  /** The name of the actor that was refused. */
  public String actor() {
    return actor;
  }

  /** The workspace it asked in. */
  public String workspace() {
    return workspace;
  }

  /** The action it asked for, e.g. {@code run.trigger} or {@code datasource.create}. */
  public String action() {
    return action;
  }

  /** The role that would allow it, if one would. */
  public Optional<Role> needed() {
    return needed == null ? Optional.empty() : needed;
  }
}
