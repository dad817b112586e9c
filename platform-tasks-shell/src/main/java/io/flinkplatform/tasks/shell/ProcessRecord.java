package io.flinkplatform.tasks.shell;

import static java.util.Objects.requireNonNull;

/**
 * One row of {@code t_shell_process}: the process tree an attempt started, and the JVM that
 * supervises it.
 *
 * @param id the row id (0 before it is stored)
 * @param host where the process runs
 * @param runId the workflow run
 * @param taskId the task
 * @param attemptId the attempt row
 * @param attempt the attempt number
 * @param epoch the fencing epoch of the claim that started the process
 * @param process the root process
 * @param token the value of {@link ShellEnvironment#PROCESS_TOKEN} every process of the tree holds
 * @param owner the supervising JVM
 * @param ownerName the supervising platform instance, for people
 * @param graceMillis how long the tree may take to exit after SIGTERM
 */
record ProcessRecord(
    long id,
    Host host,
    long runId,
    String taskId,
    long attemptId,
    int attempt,
    long epoch,
    ProcessIdentity process,
    String token,
    ProcessIdentity owner,
    String ownerName,
    long graceMillis) {

  ProcessRecord {
    requireNonNull(host, "host is null");
    requireNonNull(taskId, "taskId is null");
    requireNonNull(process, "process is null");
    requireNonNull(token, "token is null");
    requireNonNull(owner, "owner is null");
    requireNonNull(ownerName, "ownerName is null");
  }

  /** For the log: which attempt, which process, which instance. */
  String describe() {
    return "attempt "
        + attempt
        + " (epoch "
        + epoch
        + ", pid "
        + process.pid()
        + ", started by "
        + ownerName
        + ")";
  }
}
