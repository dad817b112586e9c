package io.flinkplatform.tasks.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.engine.testing.TestTaskContext;
import io.flinkplatform.spi.PluginContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Processes that outlive the instance that started them are found again, by pid <em>and</em> start
 * time or by the token in their environment, and ended; live claims and reused pids are left alone.
 * Real processes, real database.
 */
@Timeout(90)
class ShellFailoverTest {
  private static TestPlatforms platforms;
  private static ProcessRecords records;
  private static DatabaseProcessTracker tracker;
  private static final Host HOST = Host.local(null);

  /** A JVM that is gone: this JVM's pid with another start time, as after a pid reuse. */
  private static final ProcessIdentity DEAD_OWNER =
      new ProcessIdentity(
          ProcessHandle.current().pid(), ProcessIdentity.current().startMillis() - 60_000);

  @TempDir Path dir;
  private final List<Long> pids = new ArrayList<>();
  private final List<Process> started = new ArrayList<>();

  @BeforeAll
  static void start() {
    platforms = new TestPlatforms();
    platforms.start(
        "here", b -> b.plugin(new ShellTaskPlugin()).pluginSetting("shell.sweepInterval", "0s"));
    records = new ProcessRecords(platforms.dataSource(), Clock.systemUTC());
    tracker = new DatabaseProcessTracker(records, HOST, ProcessIdentity.current(), "here");
  }

  @AfterAll
  static void stop() {
    platforms.close();
  }

  @BeforeEach
  void emptyTable() throws SQLException {
    execute(platforms.dataSource(), "DELETE FROM t_shell_process");
  }

  @AfterEach
  void killLeftovers() {
    pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    started.forEach(Process::destroyForcibly);
  }

  @Test
  void survivorsOfADeadInstanceAreEndedWhenTheTaskRunsAgainHere() throws Exception {
    String token = UUID.randomUUID().toString();
    Process root = startTree(token, TREE);
    awaitFile(dir.resolve("ready"));
    insert(record(100, "step-1", 7, 1, 1, ProcessIdentity.of(root.toHandle()), token, DEAD_OWNER));
    TestTaskContext again = context(100, "step-1", 7, 1, 2);

    tracker.endSurvivors(again, again.log());

    assertGone("root", "child", "orphan");
    assertThat(again.memoryLog().lines())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .matches(
            "\\[shell\\] ended [3-9] process\\(es\\) left running by attempt 1 \\(epoch 1, pid "
                + root.pid()
                + ", started by dead\\)");
    assertThat(count()).isZero();
  }

  @Test
  void orphansWhoseRootIsGoneAreFoundByTheTokenInTheirEnvironment() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc")), "needs /proc");
    String token = UUID.randomUUID().toString();
    Process root = startTree(token, "(sleep 300 & echo $! > orphan); touch ready");
    ProcessIdentity rootIdentity = ProcessIdentity.of(root.toHandle());
    assertThat(root.waitFor(10, TimeUnit.SECONDS)).isTrue();
    long orphan = readPid("orphan");
    assertThat(alive(orphan)).isTrue();
    insert(record(101, "step-1", 8, 1, 1, rootIdentity, token, DEAD_OWNER));

    TestTaskContext again = context(101, "step-1", 8, 1, 2);
    tracker.endSurvivors(again, again.log());

    assertGone("orphan");
    assertThat(again.memoryLog().lines())
        .containsExactly(
            "[shell] ended 1 process(es) left running by attempt 1 (epoch 1, pid "
                + root.pid()
                + ", started by dead)");
  }

  @Test
  void aReusedPidIsNotTakenForTheRecordedProcess() throws Exception {
    Process unrelated = new ProcessBuilder("sleep", "300").start();
    started.add(unrelated);
    ProcessIdentity real = ProcessIdentity.of(unrelated.toHandle());
    ProcessIdentity recorded = new ProcessIdentity(real.pid(), real.startMillis() - 5_000);
    insert(record(102, "step-1", 9, 1, 1, recorded, UUID.randomUUID().toString(), DEAD_OWNER));

    TestTaskContext again = context(102, "step-1", 9, 1, 2);
    tracker.endSurvivors(again, again.log());

    Thread.sleep(200);
    assertThat(unrelated.isAlive()).isTrue();
    assertThat(again.memoryLog().lines())
        .containsExactly(
            "[shell] no process of attempt 1 (epoch 1, pid "
                + real.pid()
                + ", started by dead) was still running");
    assertThat(count()).isZero();
  }

  @Test
  void liveClaimsAreLeftAloneAndStaleOnesOfLiveInstancesAreEnded() throws Exception {
    ProcessIdentity self = ProcessIdentity.current();
    String current = UUID.randomUUID().toString();
    String later = UUID.randomUUID().toString();
    String stale = UUID.randomUUID().toString();
    Process currentRoot = startTree(current, "sleep 300");
    Process laterRoot = startTree(later, "sleep 300");
    Process staleRoot = startTree(stale, "sleep 300");
    // The claim itself (epoch 5), a later attempt's claim, and an older claim of the attempt.
    insert(
        record(103, "step-1", 10, 1, 5, ProcessIdentity.of(currentRoot.toHandle()), current, self));
    insert(record(103, "step-1", 11, 2, 1, ProcessIdentity.of(laterRoot.toHandle()), later, self));
    insert(record(103, "step-1", 10, 1, 4, ProcessIdentity.of(staleRoot.toHandle()), stale, self));

    TestTaskContext claim = context(103, "step-1", 10, 1, 5);
    tracker.endSurvivors(claim, claim.log());

    assertThat(staleRoot.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(currentRoot.isAlive()).isTrue();
    assertThat(laterRoot.isAlive()).isTrue();
    assertThat(count()).isEqualTo(2);
  }

  @Test
  void pluginStartEndsWhatDeadInstancesLeftOnThisHost() throws Exception {
    String orphanToken = UUID.randomUUID().toString();
    String liveToken = UUID.randomUUID().toString();
    Process orphanRoot = startTree(orphanToken, "sleep 300");
    Process liveRoot = startTree(liveToken, "sleep 300");
    insert(
        record(
            104,
            "step-1",
            12,
            1,
            1,
            ProcessIdentity.of(orphanRoot.toHandle()),
            orphanToken,
            DEAD_OWNER));
    insert(
        record(
            105,
            "step-1",
            13,
            1,
            1,
            ProcessIdentity.of(liveRoot.toHandle()),
            liveToken,
            ProcessIdentity.current()));
    ProcessRecord otherBoot =
        new ProcessRecord(
            0,
            new Host(HOST.name(), "another-boot"),
            106,
            "step-1",
            14,
            1,
            1,
            ProcessIdentity.of(liveRoot.toHandle()),
            liveToken,
            DEAD_OWNER,
            "dead",
            0);
    insert(otherBoot);

    ShellTaskPlugin plugin = new ShellTaskPlugin();
    plugin.start(pluginContext(platforms.dataSource(), Map.of("shell.sweepInterval", "0s")));
    plugin.stop();

    assertThat(orphanRoot.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(liveRoot.isAlive()).isTrue();
    assertThat(records.onHost(HOST.name()))
        .singleElement()
        .satisfies(r -> assertThat(r.runId()).isEqualTo(105));
  }

  @Test
  void aFailoverToThisHostEndsTheProcessesOfTheDeadInstance() throws Exception {
    Path pidFile = dir.resolve("pids");
    Path marker = dir.resolve("first-run");
    String script =
        String.join(
            "\n",
            "if [ -e first-run ]; then echo second run; exit 0; fi",
            "touch first-run",
            "sleep 300 & echo $! >> pids",
            "(sleep 300 & echo $! >> pids)",
            "echo $$ >> pids",
            "wait");
    Process child = null;
    try (TestPlatforms cluster = new TestPlatforms()) {
      // An instance that runs nothing (no worker threads): it only deploys and watches.
      PlatformClient observer =
          cluster.start("observer", b -> b.plugin(new ShellTaskPlugin()).workerThreads(0)).client();
      child = ShellChildInstance.launch(cluster.jdbcUrl(), "dead");
      observer.deploy(
          Workflow.builder("shell_failover")
              .task(
                  "work",
                  "shell",
                  t ->
                      t.option("command", script)
                          .option("workingDirectory", dir.toString())
                          .option("killGracePeriod", "1s"))
              .build());
      long run = observer.trigger("shell_failover");
      Await.until(() -> lines(pidFile).size() >= 3);
      List<Long> first = lines(pidFile);
      pids.addAll(first);
      // A second instance on this host joins while the first still runs the attempt...
      cluster.start(
          "survivor",
          b -> b.plugin(new ShellTaskPlugin()).pluginSetting("shell.sweepInterval", "0s"));
      assertThat(first).allMatch(ShellFailoverTest::alive);
      // ...and the first dies for real: its processes live on, orphaned.
      child.destroyForcibly();
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(first).allMatch(ShellFailoverTest::alive);

      assertThat(observer.awaitRun(run, Duration.ofSeconds(60)).state())
          .isEqualTo(RunState.SUCCESS);

      assertThat(first).noneMatch(ShellFailoverTest::alive);
      TaskAttempt attempt = observer.attempts(run).get(0);
      assertThat(attempt.epoch()).isGreaterThan(1);
      assertThat(observer.log(attempt))
          .containsPattern(
              "\\[shell\\] ended [3-9] process\\(es\\) left running by attempt 1 \\(epoch 1,"
                  + " pid \\d+, started by dead\\)")
          .contains("second run");
      assertThat(marker).exists();
      assertThat(countIn(cluster.dataSource())).isZero();
    } finally {
      if (child != null) {
        child.destroyForcibly();
      }
    }
  }

  // ---- helpers

  private static final String TREE =
      "echo $$ > root\n"
          + "sleep 300 & echo $! > child\n"
          + "(sleep 300 & echo $! > orphan)\n"
          + "touch ready\n"
          + "wait\n";

  private Process startTree(String token, String script) throws IOException {
    ProcessBuilder builder =
        SessionLauncher.builder(List.of("/bin/bash", "-c", script))
            .directory(dir.toFile())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put(ShellEnvironment.PROCESS_TOKEN, token);
    Process process = builder.start();
    started.add(process);
    return process;
  }

  private static ProcessRecord record(
      long runId,
      String taskId,
      long attemptId,
      int attempt,
      long epoch,
      ProcessIdentity process,
      String token,
      ProcessIdentity owner) {
    return new ProcessRecord(
        0,
        HOST,
        runId,
        taskId,
        attemptId,
        attempt,
        epoch,
        process,
        token,
        owner,
        owner.equals(DEAD_OWNER) ? "dead" : "here",
        500);
  }

  private static void insert(ProcessRecord record) throws SQLException {
    records.insert(record);
  }

  private static TestTaskContext context(
      long runId, String taskId, long attemptId, int attempt, long epoch) {
    assertThat(taskId).isEqualTo("step-1"); // the task id of every TestTaskContext
    return TestTaskContext.of(Map.of("command", "true"), new ShellTaskType().options())
        .ids(runId, attemptId, attempt, epoch);
  }

  private static long count() throws SQLException {
    return countIn(platforms.dataSource());
  }

  private static void execute(DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static PluginContext pluginContext(DataSource ds, Map<String, String> settings) {
    return new PluginContext() {
      @Override
      public String instanceName() {
        return "restarted";
      }

      @Override
      public DataSource database() {
        return ds;
      }

      @Override
      public Map<String, String> settings() {
        return settings;
      }

      @Override
      public Clock clock() {
        return Clock.systemUTC();
      }
    };
  }

  private long readPid(String file) throws IOException {
    long pid = Long.parseLong(Files.readString(dir.resolve(file)).trim());
    pids.add(pid);
    return pid;
  }

  private void assertGone(String... files) throws Exception {
    List<Long> tree = new ArrayList<>();
    for (String file : files) {
      tree.add(readPid(file));
    }
    Await.until(() -> tree.stream().noneMatch(ShellFailoverTest::alive));
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessState::running).orElse(false);
  }

  private static void awaitFile(Path file) throws InterruptedException {
    Await.until(() -> Files.exists(file));
  }

  private static List<Long> lines(Path file) {
    try {
      return Files.readAllLines(file).stream()
          .filter(line -> !line.isBlank())
          .map(line -> Long.parseLong(line.trim()))
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static long countIn(DataSource ds) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t_shell_process")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
