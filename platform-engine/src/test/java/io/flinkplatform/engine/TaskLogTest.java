package io.flinkplatform.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.dag.RetryPolicy;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.LogChunk;
import io.flinkplatform.engine.run.LogRange;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.spi.TaskContext;
import io.flinkplatform.spi.TaskOutcome;
import io.flinkplatform.spi.TaskPlugin;
import io.flinkplatform.spi.TaskType;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Task logs end to end: what tasks write, how the client reads it, and when writing fails. */
class TaskLogTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String EMOJI = "\uD83D\uDE00"; // one character, two chars, four bytes
  private static TestPlatforms platforms;
  private static PlatformClient client;

  // its own directory: the test database is new on every run, its run ids start again at 1
  @TempDir static Path logDirectory;

  @BeforeAll
  static void start() {
    platforms = new TestPlatforms();
    client =
        platforms.start("logs", b -> b.plugin(new Scripted()).logDirectory(logDirectory)).client();
  }

  @AfterAll
  static void stop() {
    platforms.close();
  }

  /** What the "scripted" task does, by workflow name. */
  interface Script {
    TaskOutcome run(TaskContext c) throws Exception;
  }

  static final Map<String, Script> SCRIPTS = new ConcurrentHashMap<>();

  /** A task type whose behaviour the test sets per workflow. */
  static final class Scripted implements TaskPlugin {
    @Override
    public String name() {
      return "scripted";
    }

    @Override
    public List<TaskType> taskTypes() {
      return List.of(
          new TaskType() {
            @Override
            public String id() {
              return "scripted";
            }

            @Override
            public TaskOutcome execute(TaskContext c) throws Exception {
              return SCRIPTS.get(c.workflowName()).run(c);
            }
          },
          new HungPoll());
    }
  }

  /** Polls that each hold a worker thread until {@link #POLLS_HELD} is counted down. */
  static volatile CountDownLatch POLLS_HELD = new CountDownLatch(0);

  static final java.util.concurrent.atomic.AtomicInteger POLLS_HANGING =
      new java.util.concurrent.atomic.AtomicInteger();

  /** External work whose status call hangs, as a remote status call can (a slow cluster). */
  static final class HungPoll implements io.flinkplatform.spi.ExternalTaskType {
    @Override
    public String id() {
      return "hung_poll";
    }

    @Override
    public Duration pollInterval() {
      return Duration.ofMillis(50);
    }

    @Override
    public io.flinkplatform.spi.ExternalRef submit(TaskContext c) {
      return new io.flinkplatform.spi.ExternalRef(c.taskId(), Map.of());
    }

    @Override
    public io.flinkplatform.spi.ExternalStatus poll(
        TaskContext c, io.flinkplatform.spi.ExternalRef ref) {
      POLLS_HANGING.incrementAndGet();
      try {
        com.google.common.util.concurrent.Uninterruptibles.awaitUninterruptibly(POLLS_HELD, WAIT);
      } finally {
        POLLS_HANGING.decrementAndGet();
      }
      return io.flinkplatform.spi.ExternalStatus.finished(TaskOutcome.success());
    }

    @Override
    public void cancel(TaskContext c, io.flinkplatform.spi.ExternalRef ref) {}
  }

  private static long trigger(PlatformClient client, String name, Script script) {
    SCRIPTS.put(name, script);
    client.deploy(
        Workflow.builder(name).task("a", "scripted", t -> t.retry(RetryPolicy.NONE)).build());
    return client.trigger(name);
  }

  private static TaskAttempt only(PlatformClient client, long runId) {
    List<TaskAttempt> attempts = client.attempts(runId);
    assertThat(attempts).hasSize(1);
    return attempts.get(0);
  }

  private static boolean wellFormed(String s) {
    return s.codePoints().noneMatch(c -> c >= 0xD800 && c <= 0xDFFF) && s.indexOf('\uFFFD') < 0;
  }

  @Test
  void aLoneSurrogateInALineFailsNeitherTheTaskNorTheLinesAfterIt() {
    long runId =
        trigger(
            client,
            "lone_surrogate",
            c -> {
              c.log().line("before");
              c.log().line("half " + EMOJI.charAt(0) + " of an emoji");
              c.log().line("after " + EMOJI);
              return TaskOutcome.success();
            });

    assertThat(client.awaitRun(runId, WAIT).state()).isEqualTo(RunState.SUCCESS);
    assertThat(client.log(only(client, runId)))
        .isEqualTo("before\nhalf ? of an emoji\nafter " + EMOJI + "\n");
  }

  @Test
  void aLongMessageIsCutBetweenCharacters() {
    // stored messages are cut at 3,980 chars: the emoji takes chars 3,980 and 3,981
    String message = "m".repeat(3979) + EMOJI + "m".repeat(100);
    long runId = trigger(client, "long_message", c -> new TaskOutcome.Failure(message, false));

    assertThat(client.awaitRun(runId, WAIT).state()).isEqualTo(RunState.FAILED);
    String stored = only(client, runId).message().orElseThrow();
    assertThat(stored).startsWith("m".repeat(3979) + EMOJI + " ... (cut");
    assertThat(wellFormed(stored)).isTrue();
  }

  @Test
  void aRunningTasksLogIsReadableBeforeItEnds() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    long runId =
        trigger(
            client,
            "follow",
            c -> {
              c.log().line("first line");
              return release.await(WAIT.toSeconds(), TimeUnit.SECONDS)
                  ? TaskOutcome.success()
                  : new TaskOutcome.Failure("never released", false);
            });
    try {
      Await.until(WAIT, () -> !client.attempts(runId).isEmpty());
      long attemptId = client.attempts(runId).get(0).id();
      Await.until(
          WAIT, () -> client.log(attemptId, LogRange.tail(1024)).text().equals("first line\n"));
      TaskAttempt running = only(client, runId);
      assertThat(running.state()).isEqualTo(TaskState.RUNNING);
      assertThat(client.log(running)).isEqualTo("first line\n");
    } finally {
      release.countDown();
    }
    assertThat(client.awaitRun(runId, WAIT).state()).isEqualTo(RunState.SUCCESS);
  }

  @Test
  void aRunningTasksLogIsReadableWhileEveryWorkerThreadIsBusy() throws Exception {
    // one worker slot: a pool of 1 + 4 threads. Four external tasks whose status calls hang hold
    // the four spare threads; the followed task holds the slot and the last thread
    POLLS_HELD = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (TestPlatforms own = new TestPlatforms()) {
      PlatformClient c = own.start("busy", b -> b.plugin(new Scripted()).workerThreads(1)).client();
      Workflow.Builder hung = Workflow.builder("hung_polls");
      for (int i = 1; i <= 4; i++) {
        hung.task("p" + i, "hung_poll", t -> t.retry(RetryPolicy.NONE));
      }
      c.deploy(hung.build());
      try {
        long polls = c.trigger("hung_polls");
        Await.until(WAIT, () -> POLLS_HANGING.get() == 4);
        long runId =
            trigger(
                c,
                "follow_busy",
                t -> {
                  t.log().line("first line");
                  return release.await(WAIT.toSeconds(), TimeUnit.SECONDS)
                      ? TaskOutcome.success()
                      : new TaskOutcome.Failure("never released", false);
                });
        Await.until(WAIT, () -> !c.attempts(runId).isEmpty());
        long attemptId = c.attempts(runId).get(0).id();
        Await.until(
            WAIT, () -> c.log(attemptId, LogRange.tail(1024)).text().equals("first line\n"));
        assertThat(only(c, runId).state()).isEqualTo(TaskState.RUNNING);
        assertThat(POLLS_HANGING.get()).isEqualTo(4);
        release.countDown();
        POLLS_HELD.countDown();
        assertThat(c.awaitRun(runId, WAIT).state()).isEqualTo(RunState.SUCCESS);
        assertThat(c.awaitRun(polls, WAIT).state()).isEqualTo(RunState.SUCCESS);
      } finally {
        POLLS_HELD.countDown();
        release.countDown();
      }
    }
  }

  @Test
  void readsBoundedRangesOfAMultiMegabyteLogWithoutCuttingACharacter() {
    // 3 MiB and more of lines mixing 1-, 2-, 3- and 4-byte characters
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < 30; i++) {
      line.append("a\u00e9\u20ac").append(EMOJI);
    }
    String one = line.toString();
    int lines = 3 * 1024 * 1024 / one.getBytes(StandardCharsets.UTF_8).length + 10;
    long runId =
        trigger(
            client,
            "big_log",
            c -> {
              for (int i = 0; i < lines; i++) {
                c.log().line(one);
              }
              return TaskOutcome.success();
            });
    assertThat(client.awaitRun(runId, WAIT).state()).isEqualTo(RunState.SUCCESS);
    TaskAttempt attempt = only(client, runId);
    long size = (long) lines * (one.getBytes(StandardCharsets.UTF_8).length + 1);

    // the old call reads a bounded tail: 1 MiB, not the whole file
    String tail = client.log(attempt);
    assertThat(tail.getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(LogRange.DEFAULT_TAIL_BYTES)
        .isGreaterThan(LogRange.DEFAULT_TAIL_BYTES - 4);
    assertThat(wellFormed(tail)).isTrue();

    LogChunk last = client.log(attempt.id(), LogRange.tail(64 * 1024));
    assertThat(last.size()).isEqualTo(size);
    assertThat(last.end()).isEqualTo(size);
    assertThat(last.end() - last.start()).isBetween(64 * 1024L - 3, 64 * 1024L);
    assertThat(last.hasMore()).isFalse();
    assertThat(wellFormed(last.text())).isTrue();
    assertThat(last.text()).endsWith(one + "\n");

    // polling from offset 0 with an odd size gets every byte once, each chunk whole characters
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    long offset = 0;
    int chunks = 0;
    while (offset < size) {
      LogChunk c = client.log(attempt.id(), LogRange.from(offset, 100_003));
      assertThat(c.start()).isEqualTo(offset);
      assertThat(c.end()).isGreaterThan(offset);
      assertThat(wellFormed(c.text())).isTrue();
      all.writeBytes(c.text().getBytes(StandardCharsets.UTF_8));
      offset = c.end();
      chunks++;
    }
    assertThat(chunks).isGreaterThan(30);
    assertThat(all.size()).isEqualTo(size);
    assertThat(all.toString(StandardCharsets.UTF_8)).isEqualTo((one + "\n").repeat(lines));

    // an offset inside a character starts at the next whole one
    LogChunk inside = client.log(attempt.id(), LogRange.from(2, 10));
    assertThat(inside.start()).isEqualTo(3);
    assertThat(inside.text()).startsWith("\u20ac");

    // the smallest range still moves on, one character at a time where it must
    StringBuilder small = new StringBuilder();
    long at = 0;
    for (int i = 0; i < 40; i++) {
      LogChunk c = client.log(attempt.id(), LogRange.from(at, LogRange.MIN_BYTES));
      assertThat(c.end()).isGreaterThan(at);
      small.append(c.text());
      at = c.end();
    }
    assertThat(one).startsWith(small.toString());
  }

  @Test
  void aTaskLogIsCappedWhateverItsTaskTypeAndSaysWhatItLeftOut(@TempDir Path tmp) throws Exception {
    try (TestPlatforms own = new TestPlatforms()) {
      PlatformClient c =
          own.start(
                  "capped",
                  b -> b.plugin(new Scripted()).logDirectory(tmp).maxTaskLogSize(16 * 1024))
              .client();
      String line = "x".repeat(99); // 100 bytes with its newline
      long runId =
          trigger(
              c,
              "capped_log",
              t -> {
                for (int i = 0; i < 10_000; i++) {
                  t.log().line(line);
                }
                t.log().line("the last line");
                return TaskOutcome.success();
              });

      assertThat(c.awaitRun(runId, WAIT).state()).isEqualTo(RunState.SUCCESS);
      TaskAttempt a = only(c, runId);
      LogChunk all = c.log(a.id(), LogRange.tail(LogRange.MAX_BYTES));
      assertThat(all.size()).isLessThan(16 * 1024 + 300);
      assertThat(all.text())
          .startsWith(line + "\n")
          .contains(
              "[platform] the log reached maxTaskLogSize (16384 bytes); further lines are not"
                  + " written\n")
          .endsWith(
              "[platform] 9838 line(s), 983714 bytes, were not written (maxTaskLogSize 16384"
                  + " bytes)\n")
          .doesNotContain("the last line");
      assertThat(all.text().lines().filter(line::equals).count()).isEqualTo(163);
    }
    assertThatThrownBy(() -> Platform.builder().maxTaskLogSize(1023))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxTaskLogSize");
  }

  @Test
  void badRangesAreRefusedNamingTheField() {
    assertThatThrownBy(() -> LogRange.tail(3))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("maxBytes");
    assertThatThrownBy(() -> LogRange.from(0, LogRange.MAX_BYTES + 1))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("maxBytes");
    assertThatThrownBy(() -> LogRange.from(-1, 10))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("offset");
    assertThatThrownBy(() -> client.log(987_654_321L, LogRange.tail(10)))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void defaultLogDirectoriesOfTwoDatabasesKeepApart() throws Exception {
    try (TestPlatforms one = new TestPlatforms();
        TestPlatforms two = new TestPlatforms()) {
      PlatformClient c1 =
          one.start(
                  "p1", b -> b.plugin(new Scripted()).logDirectory(Platform.DEFAULT_LOG_DIRECTORY))
              .client();
      PlatformClient c2 =
          two.start(
                  "p2", b -> b.plugin(new Scripted()).logDirectory(Platform.DEFAULT_LOG_DIRECTORY))
              .client();
      Path p1 = null;
      Path p2 = null;
      try {
        long r1 = trigger(c1, "apart", c -> ok(c, "written by one"));
        assertThat(c1.awaitRun(r1, WAIT).state()).isEqualTo(RunState.SUCCESS);
        long r2 = trigger(c2, "apart", c -> ok(c, "written by two"));
        assertThat(c2.awaitRun(r2, WAIT).state()).isEqualTo(RunState.SUCCESS);
        // fresh databases: the same run id, task id and attempt number
        assertThat(r1).isEqualTo(r2);
        TaskAttempt a1 = only(c1, r1);
        TaskAttempt a2 = only(c2, r2);
        p1 = Path.of(URI.create(a1.logPath().orElseThrow()));
        p2 = Path.of(URI.create(a2.logPath().orElseThrow()));
        assertThat(p1).isNotEqualTo(p2);
        assertThat(p1).startsWith(Platform.DEFAULT_LOG_DIRECTORY.toAbsolutePath());
        assertThat(c1.log(a1)).isEqualTo("written by one\n");
        assertThat(c2.log(a2)).isEqualTo("written by two\n");
      } finally {
        for (Path p : new Path[] {p1, p2}) {
          if (p != null) {
            deleteTree(p.getParent().getParent());
          }
        }
      }
    }
  }

  @Test
  void aDatabaseDroppedAndCreatedAgainGetsANewDefaultDirectory() throws Exception {
    String url = io.flinkplatform.engine.testing.TestDatabase.get().newDatabaseUrl();
    String database = TestPlatforms.logDirectory(url).getFileName().toString();
    Path before = null;
    Path after = null;
    try {
      long first;
      try (var ds = io.flinkplatform.engine.testing.TestDatabase.pool(url)) {
        Platform p = defaultDirectoryPlatform(ds, "before-drop");
        try {
          first = trigger(p.client(), "recreated", c -> ok(c, "written before the drop"));
          assertThat(p.client().awaitRun(first, WAIT).state()).isEqualTo(RunState.SUCCESS);
          before = Path.of(URI.create(only(p.client(), first).logPath().orElseThrow()));
        } finally {
          p.stop();
        }
        io.flinkplatform.engine.testing.Sql.update(ds, "DROP DATABASE " + database);
        io.flinkplatform.engine.testing.Sql.update(
            ds, "CREATE DATABASE " + database + " CHARACTER SET utf8mb4");
      }
      try (var ds = io.flinkplatform.engine.testing.TestDatabase.pool(url)) {
        Platform p = defaultDirectoryPlatform(ds, "after-drop");
        try {
          long again = trigger(p.client(), "recreated", c -> ok(c, "written after the drop"));
          assertThat(p.client().awaitRun(again, WAIT).state()).isEqualTo(RunState.SUCCESS);
          // run ids start again: the same run id, task id and attempt number as before the drop
          assertThat(again).isEqualTo(first);
          TaskAttempt a = only(p.client(), again);
          after = Path.of(URI.create(a.logPath().orElseThrow()));
          assertThat(after.getParent().getParent()).isNotEqualTo(before.getParent().getParent());
          assertThat(p.client().log(a)).isEqualTo("written after the drop\n");
          assertThat(Files.readString(before)).isEqualTo("written before the drop\n");
        } finally {
          p.stop();
        }
      }
    } finally {
      for (Path p : new Path[] {before, after}) {
        if (p != null) {
          deleteTree(p.getParent().getParent());
        }
      }
    }
  }

  private static Platform defaultDirectoryPlatform(javax.sql.DataSource ds, String name) {
    return TestPlatforms.builder(ds, name)
        .plugin(new Scripted())
        .logDirectory(Platform.DEFAULT_LOG_DIRECTORY)
        .build()
        .start();
  }

  @Test
  void aDirectoryMarkedByAnotherDatabaseRefusesToStart(@TempDir Path tmp) throws Exception {
    Path shared = tmp.resolve("shared");
    try (TestPlatforms one = new TestPlatforms();
        TestPlatforms two = new TestPlatforms()) {
      PlatformClient c1 =
          one.start("owner", b -> b.plugin(new Scripted()).logDirectory(shared)).client();
      long run = trigger(c1, "marked", c -> ok(c, "the owner's line"));
      assertThat(c1.awaitRun(run, WAIT).state()).isEqualTo(RunState.SUCCESS);
      // the mark is a digest: the confidential installation id is not on disk
      List<String> id = new java.util.ArrayList<>();
      io.flinkplatform.engine.testing.Sql.query(
          one.dataSource(),
          "SELECT installation_id FROM t_installation",
          r -> id.add(r.getString(1)));
      String mark = Files.readString(shared.resolve(".flink-platform-installation")).strip();
      assertThat(id).hasSize(1);
      assertThat(mark).isNotBlank().doesNotContain(id.get(0));
      // a second instance of the same database shares it
      one.start("owner-2", b -> b.plugin(new Scripted()).logDirectory(shared));

      assertThatThrownBy(
              () -> two.start("intruder", b -> b.plugin(new Scripted()).logDirectory(shared)))
          .isInstanceOf(LogDirectoryInUseException.class)
          .hasMessageContaining(shared.toAbsolutePath().toString())
          .hasMessageContaining("must not share")
          .satisfies(
              e ->
                  assertThat(((LogDirectoryInUseException) e).directory())
                      .isEqualTo(shared.toAbsolutePath()));
      assertThat(Files.readString(shared.resolve(".flink-platform-installation")).strip())
          .isEqualTo(mark);
      assertThat(c1.log(only(c1, run))).isEqualTo("the owner's line\n");
    }
  }

  private static TaskOutcome ok(TaskContext c, String line) {
    c.log().line(line);
    return TaskOutcome.success();
  }

  static void deleteTree(Path dir) throws java.io.IOException {
    if (Files.exists(dir)) {
      try (var files = Files.walk(dir)) {
        for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  @Test
  void aLogThatCannotBeWrittenHandsTheAttemptBackWithoutUsingARetry(@TempDir Path tmp)
      throws Exception {
    // the log directory is a file: every log write fails with an IOException, as on a broken disk
    Path logDir = tmp.resolve("logs");
    Files.writeString(logDir, "not a directory");
    try (TestPlatforms own = new TestPlatforms()) {
      PlatformClient c =
          own.start("broken-disk", b -> b.plugin(new Scripted()).logDirectory(logDir)).client();
      long runId = trigger(c, "broken_disk", t -> ok(t, "a line"));

      // handed back and claimed again: the same attempt (no retry used) with a newer claim
      Await.until(WAIT, () -> only(c, runId).epoch() >= 3);
      TaskAttempt a = only(c, runId);
      assertThat(a.attempt()).isEqualTo(1);
      assertThat(a.state()).isIn(TaskState.READY, TaskState.RUNNING);

      // the disk is back: the same attempt succeeds
      Files.delete(logDir);
      Files.createDirectories(logDir);
      assertThat(c.awaitRun(runId, WAIT).state()).isEqualTo(RunState.SUCCESS);
      TaskAttempt done = only(c, runId);
      assertThat(done.attempt()).isEqualTo(1);
      assertThat(c.log(done)).isEqualTo("a line\n");
    }
  }

  @Test
  void aFullDiskHandsTheAttemptBackWithoutUsingARetry(@TempDir Path tmp) throws Exception {
    // a real full file system: a 64 KiB tmpfs (needs root; skipped where mount is refused)
    Path mount = Files.createDirectories(tmp.resolve("tiny"));
    Process p =
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mount.toString())
            .redirectErrorStream(true)
            .start();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "cannot mount a tmpfs here");
    try {
      Path filler = mount.resolve("filler");
      try (var out = Files.newOutputStream(filler)) {
        for (int i = 0; i < 1024; i++) {
          out.write(new byte[1024]);
        }
      } catch (java.io.IOException full) {
        // the disk is full now
      }
      Path logDir = mount.resolve("logs");
      try (TestPlatforms own = new TestPlatforms()) {
        PlatformClient c =
            own.start("full-disk", b -> b.plugin(new Scripted()).logDirectory(logDir)).client();
        String line = "x".repeat(8 * 1024);
        long runId =
            trigger(
                c,
                "full_disk",
                t -> {
                  for (int i = 0; i < 4; i++) {
                    t.log().line(line);
                  }
                  return TaskOutcome.success();
                });

        Await.until(WAIT, () -> only(c, runId).epoch() >= 2);
        assertThat(only(c, runId).attempt()).isEqualTo(1);
        assertThat(only(c, runId).state()).isIn(TaskState.READY, TaskState.RUNNING);

        Files.delete(filler);
        assertThat(c.awaitRun(runId, WAIT).state()).isEqualTo(RunState.SUCCESS);
        TaskAttempt done = only(c, runId);
        assertThat(done.attempt()).isEqualTo(1);
        assertThat(c.log(done)).endsWith(line + "\n");
      }
    } finally {
      new ProcessBuilder("umount", "-l", mount.toString()).inheritIO().start().waitFor();
    }
  }

  @Test
  void retentionDeletesOldFinishedRunsWithTheirLogsAndKeepsTheRest(@TempDir Path tmp)
      throws Exception {
    try (TestPlatforms own = new TestPlatforms()) {
      PlatformClient c =
          own.start(
                  "keeper",
                  b ->
                      b.plugin(new Scripted())
                          .logDirectory(tmp)
                          .retention(Duration.ofHours(1))
                          .housekeepingInterval(Duration.ofMillis(200)))
              .client();
      long old = trigger(c, "old_run", t -> ok(t, "old"));
      long recent = trigger(c, "recent_run", t -> ok(t, "recent"));
      CountDownLatch release = new CountDownLatch(1);
      long running =
          trigger(
              c,
              "running_run",
              t -> {
                t.log().line("running");
                release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                return TaskOutcome.success();
              });
      try {
        assertThat(c.awaitRun(old, WAIT).state()).isEqualTo(RunState.SUCCESS);
        assertThat(c.awaitRun(recent, WAIT).state()).isEqualTo(RunState.SUCCESS);
        Await.until(WAIT, () -> c.log(only(c, running)).equals("running\n"));
        Path oldLog = Path.of(URI.create(only(c, old).logPath().orElseThrow()));
        long twoHoursAgo = System.currentTimeMillis() - 2 * 3_600_000L;
        io.flinkplatform.engine.testing.Sql.update(
            own.dataSource(),
            "UPDATE t_job_flow_run SET ended_at = " + twoHoursAgo + " WHERE id = " + old);
        io.flinkplatform.engine.testing.Sql.update(
            own.dataSource(),
            "UPDATE t_job_flow_run SET started_at = " + twoHoursAgo + " WHERE id = " + running);

        Await.until(WAIT, () -> !Files.exists(oldLog.getParent()));
        assertThat(
                io.flinkplatform.engine.testing.Sql.single(
                    own.dataSource(), "SELECT COUNT(*) FROM t_job_run WHERE flow_run_id = " + old))
            .isZero();
        assertThat(c.run(old)).isEmpty();
        assertThat(c.log(only(c, recent))).isEqualTo("recent\n");
        assertThat(c.log(only(c, running))).isEqualTo("running\n");
      } finally {
        release.countDown();
      }
      assertThat(c.awaitRun(running, WAIT).state()).isEqualTo(RunState.SUCCESS);
    }
  }
}
