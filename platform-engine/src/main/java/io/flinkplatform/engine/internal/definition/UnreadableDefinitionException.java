package io.flinkplatform.engine.internal.definition;

import io.flinkplatform.engine.PlatformException;

/**
 * A stored workflow version can no longer be read (its JSON is damaged, or a newer platform refuses
 * what an older one stored). Its runs cannot advance: the completer fails them rather than retry
 * the read forever.
 */
public final class UnreadableDefinitionException extends PlatformException {
  private static final long serialVersionUID = 1L;

  UnreadableDefinitionException(String name, int version, RuntimeException cause) {
    super(
        "workflow '"
            + name
            + "' version "
            + version
            + " cannot be read ("
            + cause.getClass().getSimpleName()
            + (cause.getMessage() == null ? "" : ": " + cause.getMessage())
            + "); deploy a new version",
        cause);
  }
}
