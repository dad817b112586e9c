package io.flinkplatform.spi;

/**
 * What a member may do in a workspace. Each role includes the ones before it: an operator may do
 * what a viewer may, an admin everything.
 */
public enum Role {
  /** Reads workflows, runs, attempts, logs, pictures, schedules, limits and explanations. */
  VIEWER,
  /** Triggers, kills, reruns and marks runs; pauses and resumes schedules; starts backfills. */
  OPERATOR,
  /** Deploys workflows; saves and deletes schedules; changes datasources, catalogs, resources. */
  EDITOR,
  /** Manages members, grants, limits, caps and secrets of the workspace; reads its audit trail. */
  ADMIN;

  /** Whether a member with this role may do what {@code needed} may. */
  public boolean includes(Role needed) {
    return ordinal() >= needed.ordinal();
  }
}
