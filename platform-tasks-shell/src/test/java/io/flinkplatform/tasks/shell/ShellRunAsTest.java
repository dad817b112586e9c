package io.flinkplatform.tasks.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.engine.testing.TestTaskContext;
import io.flinkplatform.spi.Actor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Shell tasks of a workspace run as the OS user the host configured for it ({@code
 * shell.runAs.<workspace>}), with a real second OS user created for the test. That needs root and
 * {@code useradd}: without them the class is skipped, unless {@code PLATFORM_TEST_RUNAS=required}
 * (CI sets it when it runs as root), which makes it fail.
 */
@Timeout(120)
class ShellRunAsTest {
  private static final String USER = "fprunas" + UUID.randomUUID().toString().substring(0, 6);
  private static final String MISSING = "fpnosuch" + UUID.randomUUID().toString().substring(0, 6);
  private static final String USERADD = "/usr/sbin/useradd";

  /**
   * CI sets {@code PLATFORM_TEST_RUNAS=required} when it runs as root: then a skip is a failure.
   */
  private static final boolean REQUIRED = "required".equals(System.getenv("PLATFORM_TEST_RUNAS"));

  private static TestPlatforms platforms;
  private static Platform platform;
  private static Path base;
  private static int uid;

  @BeforeAll
  static void start() throws Exception {
    boolean root = "0".equals(output("/usr/bin/id", "-u").trim()); // as .ci/run decides it
    boolean useradd = Files.isExecutable(Path.of(USERADD));
    List<String> missing = new ArrayList<>();
    if (!root) {
      missing.add("the tests run as '" + System.getProperty("user.name") + "', not as uid 0");
    }
    if (!useradd) {
      missing.add(USERADD + " is missing");
    }
    if (REQUIRED && !missing.isEmpty()) {
      fail(
          "PLATFORM_TEST_RUNAS=required, but "
              + String.join(" and ", missing)
              + ": creating an OS user and switching to it needs both");
    }
    assumeTrue(root, "creating an OS user and switching to it needs root");
    assumeTrue(useradd, "no " + USERADD);
    run(USERADD, "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER);
    uid = Integer.parseInt(output("/usr/bin/id", "-u", USER).trim());
    assertThat(uid).isPositive();
    // a directory other users may enter but not write to; tests make what they need in it
    base = Files.createTempDirectory("shell-runas-");
    Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
    platforms = new TestPlatforms();
    platform =
        platforms.start(
            "runas",
            b ->
                b.plugin(new ShellTaskPlugin())
                    .pluginSetting("shell.runAs.x", USER)
                    .pluginSetting("shell.runAs.y", MISSING));
    for (String ws : List.of("x", "y")) {
      platform.admin(Actor.SYSTEM).createWorkspace(ws, "run-as test workspace " + ws);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    List<ProcessHandle> left = List.of();
    try {
      if (platforms != null) {
        platforms.close();
      }
    } finally {
      try {
        if (base != null) {
          run("/bin/rm", "-rf", base.toString());
        }
      } finally {
        if (uid > 0) {
          // nothing of the user may be left: what is left is reported below, but killed first
          // (the test made this user, so all its processes are the test's), then the user goes
          left = processesOf(USER);
          left.forEach(ProcessHandle::destroyForcibly);
          for (ProcessHandle p : left) {
            p.onExit().get(10, TimeUnit.SECONDS);
          }
          run("/usr/sbin/userdel", USER);
        }
      }
    }
    assertThat(left).as("processes of the run-as user left by the tests").isEmpty();
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
  }

  private static String output(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  private static List<ProcessHandle> processesOf(String user) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().user().map(user::equals).orElse(false))
        .filter(ProcessState::running)
        .toList();
  }

  private static PlatformClient client(String workspace) {
    return platform.client(Actor.SYSTEM, workspace);
  }

  private static TaskAttempt runOnce(PlatformClient client, Workflow w, RunState expected) {
    client.deploy(w);
    long run = client.trigger(w.name());
    RunState state = client.awaitRun(run, Duration.ofSeconds(60)).state();
    List<TaskAttempt> attempts = client.attempts(run);
    assertThat(state)
        .as(() -> attempts + "\n" + attempts.stream().map(client::log).toList())
        .isEqualTo(expected);
    return attempts.get(attempts.size() - 1);
  }

  /** Declares who runs it as outputs, and leaves a file in the shared directory. */
  private static Workflow whoAmI(String name, Path drop) {
    return Workflow.builder(name)
        .task(
            "who",
            "shell",
            t ->
                t.option(
                        "command",
                        "echo \"##output user=$(id -un)\"; echo \"##output uid=$(id -u)\";"
                            + " echo \"##output home=$HOME\"; echo \"##output logname=$LOGNAME\";"
                            + " echo \"##output cwd_owner=$(stat -c %u .)\";"
                            + " echo made > \"$DROP\"")
                    .option("env", Map.of("DROP", drop.toString())))
        .build();
  }

  @Test
  void aTaskOfTheWorkspaceRunsAsItsUserAndOthersAsThePlatformsUser() throws Exception {
    Path drop = Files.createDirectory(base.resolve("drop"));
    Files.setPosixFilePermissions(drop, PosixFilePermissions.fromString("rwxrwxrwx"));

    TaskAttempt x = runOnce(client("x"), whoAmI("who_x", drop.resolve("x")), RunState.SUCCESS);
    assertThat(x.outputs())
        .containsEntry("user", USER)
        .containsEntry("uid", Integer.toString(uid))
        .containsEntry("logname", USER)
        .containsEntry("cwd_owner", Integer.toString(uid));
    assertThat(x.outputs().get("home")).isNotEqualTo(System.getenv("HOME"));
    assertThat(Files.getAttribute(drop.resolve("x"), "unix:uid")).isEqualTo(uid);
    assertThat(client("x").log(x)).contains("[shell] running as OS user " + USER);

    TaskAttempt d =
        runOnce(client("default"), whoAmI("who_default", drop.resolve("d")), RunState.SUCCESS);
    assertThat(d.outputs()).containsEntry("user", "root").containsEntry("uid", "0");
    assertThat(Files.getAttribute(drop.resolve("d"), "unix:uid")).isEqualTo(0);
  }

  @Test
  void theRunAsUserCannotReadAFileOnlyThePlatformsUserMayRead() throws Exception {
    Path secret = base.resolve("secret");
    Files.writeString(secret, "only root");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    Workflow read =
        Workflow.builder("read_secret")
            .task("read", "shell", t -> t.option("args", List.of("/bin/cat", secret.toString())))
            .build();

    TaskAttempt x = runOnce(client("x"), read, RunState.FAILED);
    assertThat(x.state()).isEqualTo(TaskState.FAILED);
    assertThat(client("x").log(x)).contains("Permission denied").doesNotContain("only root");

    // the same task of the default workspace runs as root and reads it: the denial is the user's
    TaskAttempt d = runOnce(client("default"), read, RunState.SUCCESS);
    assertThat(client("default").log(d)).contains("only root");
  }

  @Test
  void aKillEndsTheRunAsUsersProcessTree() throws Exception {
    PlatformClient x = client("x");
    x.deploy(
        Workflow.builder("long_x")
            .task(
                "sleep",
                "shell",
                t -> t.option("command", "sleep 300 & sleep 300 & echo started; wait"))
            .build());
    long run = x.trigger("long_x");
    Await.until(() -> processesOf(USER).size() >= 3); // the shell and its two sleeps
    assertThat(x.kill(run)).isTrue();
    assertThat(x.awaitRun(run, Duration.ofSeconds(60)).state()).isEqualTo(RunState.KILLED);
    Await.until(() -> processesOf(USER).isEmpty());
    assertThat(processesOf(USER)).isEmpty();
  }

  @Test
  void aMissingOsUserFailsTheTaskNamingTheSettingAndStartsNothing() throws Exception {
    Path drop = Files.createDirectory(base.resolve("drop-y"));
    Files.setPosixFilePermissions(drop, PosixFilePermissions.fromString("rwxrwxrwx"));
    TaskAttempt y = runOnce(client("y"), whoAmI("who_y", drop.resolve("y")), RunState.FAILED);
    assertThat(y.message().orElseThrow())
        .contains("shell.runAs.y")
        .contains("OS user '" + MISSING + "' does not exist");
    assertThat(y.attempt()).isEqualTo(1); // fatal: not retried
    assertThat(drop.resolve("y")).doesNotExist();
  }

  @Test
  void afterAFailoverTheRunAsUsersSurvivorsAreFoundByTheirTokenAndEnded() throws Exception {
    // a tree started as the user by an instance that died: its root exited, an orphan sleeps on
    RunAs runAs = RunAs.fromSettings(Map.of("shell.runAs.x", USER));
    List<String> command = new ArrayList<>(runAs.command(RunAs.lookup(USER)));
    command.addAll(List.of("/bin/sh", "-c", "sleep 300 & echo started"));
    String token = UUID.randomUUID().toString();
    ProcessBuilder builder =
        SessionLauncher.builder(command)
            .directory(base.toFile())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put(ShellEnvironment.PROCESS_TOKEN, token);
    Process root = builder.start();
    ProcessIdentity rootIdentity = ProcessIdentity.of(root.toHandle());
    assertThat(root.waitFor(10, TimeUnit.SECONDS)).isTrue();
    Await.until(() -> processesOf(USER).size() == 1);

    ProcessRecords records = new ProcessRecords(platforms.dataSource(), Clock.systemUTC());
    Host host = Host.local(null);
    ProcessIdentity deadOwner =
        new ProcessIdentity(
            ProcessHandle.current().pid(), ProcessIdentity.current().startMillis() - 60_000);
    records.insert(
        new ProcessRecord(
            0, host, 900, "step-1", 90, 1, 1, rootIdentity, token, deadOwner, "dead", 500));
    DatabaseProcessTracker tracker =
        new DatabaseProcessTracker(records, host, ProcessIdentity.current(), "here");
    TestTaskContext again =
        TestTaskContext.of(Map.of("command", "true"), new ShellTaskType().options())
            .ids(900, 90, 2, 2);

    tracker.endSurvivors(again, again.log());

    Await.until(() -> processesOf(USER).isEmpty());
    assertThat(again.memoryLog().lines())
        .containsExactly(
            "[shell] ended 1 process(es) left running by attempt 1 (epoch 1, pid "
                + root.pid()
                + ", started by dead)");
  }
}
