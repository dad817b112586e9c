package io.flinkplatform.engine.internal.access;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.Actor;

/**
 * Who calls, and in which workspace: every client call carries one down to the transaction that
 * writes its change and its audit row.
 *
 * @param actor who calls
 * @param workspace the workspace the call acts in
 */
public record Caller(Actor actor, String workspace) {
  public Caller {
    requireNonNull(actor, "actor is null");
    requireNonNull(workspace, "workspace is null");
  }

  /** The platform itself in {@code workspace}, e.g. for what a schedule or a task starts. */
  public static Caller system(String actingFor, String workspace) {
    return new Caller(Actor.system(actingFor), workspace);
  }

  /** The actor's name, as runs and audit rows record it. */
  public String name() {
    return actor.name();
  }
}
