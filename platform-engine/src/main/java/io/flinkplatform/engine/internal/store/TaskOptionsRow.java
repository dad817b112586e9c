package io.flinkplatform.engine.internal.store;

/** A task of a deployed workflow version with its raw options, as a reference search finds it. */
public final class TaskOptionsRow {
  public String workspace;
  public String workflow;
  public int version;
  public String taskId;
  public String options;
}
