package io.flinkplatform.engine.internal.alert;

import io.flinkplatform.engine.alert.AlertKind;

/** The default title and text of each alert kind, with {@code {fact}} placeholders. */
final class Templates {
  private Templates() {}

  static String title(AlertKind kind) {
    return switch (kind) {
      case RUN_FAILED -> "run {run} of {workflow} FAILED";
      case RUN_KILLED -> "run {run} of {workflow} was KILLED";
      case RUN_SUCCEEDED -> "run {run} of {workflow} succeeded";
      case TASK_FAILED -> "task {task} of {workflow} run {run} FAILED";
      case TASK_RETRIED -> "task {task} of {workflow} run {run} failed, retrying";
      case RUN_OVERDUE -> "run {run} of {workflow} running for over {after}";
      case RUN_DEADLINE -> "run {run} of {workflow} not done by {deadline}";
      case TASK_OVERDUE -> "task {task} of {workflow} run {run} running for over {after}";
      case TASK_DEADLINE -> "task {task} of {workflow} run {run} not done by {deadline}";
      case SCHEDULE_MISFIRED -> "schedule {schedule} misfired";
      case SCHEDULE_SKIPPED -> "schedule {schedule} skipped a fire time";
      case BACKFILL_FINISHED -> "backfill {backfill} of {workflow} finished";
      case FLINK_JOB_RESTARTING -> "Flink job of {workflow} task {task} is RESTARTING";
      case FLINK_JOB_FAILING -> "Flink job of {workflow} task {task} is {state}";
      case FLINK_CHECKPOINTS_FAILING -> "Flink job of {workflow} task {task}: checkpoints failing";
      case INSTANCE_LOST -> "instance {instance} lost";
      case DATABASE_UNREACHABLE -> "instance {instance} could not reach the database";
      case TEST -> "test alert from channel {channel}";
    };
  }

  static String text(AlertKind kind) {
    return switch (kind) {
      case RUN_FAILED, RUN_KILLED, RUN_SUCCEEDED ->
          "Run {run} of {workflow} ended {state}.\n{link}";
      case TASK_FAILED, TASK_RETRIED ->
          "Task {task} (attempt {attempt}) of run {run} of {workflow} ended {state}: {message}\n{link}";
      case RUN_OVERDUE, RUN_DEADLINE -> "Run {run} of {workflow} is still {state}.\n{link}";
      case TASK_OVERDUE -> "Task {task} of run {run} of {workflow} is still {state}.\n{link}";
      case TASK_DEADLINE ->
          "Task {task} (attempt {attempt}) of run {run} of {workflow} was not done by {deadline};"
              + " it is {state}.\n{link}";
      case SCHEDULE_MISFIRED, SCHEDULE_SKIPPED -> "Schedule {schedule}: {message}";
      case BACKFILL_FINISHED -> "Backfill {backfill} of {workflow} ended {state}.";
      case FLINK_JOB_RESTARTING, FLINK_JOB_FAILING, FLINK_CHECKPOINTS_FAILING ->
          "Flink job {job} of task {task} (run {run} of {workflow}): {message}\n{link}";
      case INSTANCE_LOST -> "Instance {instance} stopped renewing its lease: {message}";
      case DATABASE_UNREACHABLE -> "Instance {instance}: {message}";
      case TEST -> "A test alert sent by {actor} through channel {channel}.";
    };
  }
}
