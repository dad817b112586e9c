package io.flinkplatform.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.dag.RetryPolicy;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.spi.ExternalRef;
import io.flinkplatform.spi.ExternalStatus;
import io.flinkplatform.spi.ExternalTaskType;
import io.flinkplatform.spi.OptionType;
import io.flinkplatform.spi.TaskContext;
import io.flinkplatform.spi.TaskOption;
import io.flinkplatform.spi.TaskOutcome;
import io.flinkplatform.spi.TaskPlugin;
import io.flinkplatform.spi.TaskType;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * No attempt is left stuck (review F3): an {@code Error} from a task or from an external poll ends
 * the attempt, and an attempt that ignores its timeout or kill is abandoned after the cancellation
 * grace, external work whose system ignores the cancel included (it is then polled no more, and a
 * timed-out one is not retried). Each runs on a one-worker instance, which must run another task
 * afterwards.
 */
class StuckAttemptTest {
  private static final Duration GRACE = Duration.ofSeconds(1);
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** Holds stubborn tasks and hanging polls until the test ends. */
  private static volatile CountDownLatch hold = new CountDownLatch(1);

  private TestPlatforms platforms;
  private Platform platform;
  private PlatformClient client;

  @BeforeEach
  void start() {
    hold = new CountDownLatch(1);
    StuckTasks.STARTED.clear(); // run ids start again in each test's database
    Deaf.POLLS.clear();
    Deaf.CANCELS.clear();
    Deaf.SUBMISSIONS.clear();
    Countdown.POLLS.clear();
    platforms = new TestPlatforms();
    platform =
        platforms.start(
            "stuck",
            b ->
                b.workerThreads(1)
                    .cancelGracePeriod(GRACE)
                    .shutdownGracePeriod(Duration.ofMillis(200))
                    .plugin(new StuckTasks()));
    client = platform.client();
  }

  @AfterEach
  void stop() {
    hold.countDown();
    platforms.close();
  }

  @Test
  void aStackOverflowFailsTheAttemptAndRetriesAsThePolicySays() {
    List<TaskAttempt> attempts = runToEnd("overflow", "overflow", RunState.FAILED);
    assertThat(attempts).extracting(TaskAttempt::state).containsOnly(TaskState.FAILED);
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(1).message()).get().asString().contains("StackOverflowError");
    theWorkerSlotIsFree();
  }

  @Test
  void anAssertionErrorFailsTheAttempt() {
    List<TaskAttempt> attempts = runToEnd("assertion", "assertion", RunState.FAILED);
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(0).message())
        .get()
        .asString()
        .contains("AssertionError: broken plugin");
    theWorkerSlotIsFree();
  }

  @Test
  void outOfMemoryIsRecordedAsAFailureBeforeItIsRethrown() {
    List<TaskAttempt> attempts = runToEnd("oom", "oom", RunState.FAILED);
    assertThat(attempts).hasSize(2);
    assertThat(attempts).extracting(TaskAttempt::state).containsOnly(TaskState.FAILED);
    assertThat(attempts.get(1).message()).get().asString().contains("OutOfMemoryError: test heap");
    theWorkerSlotIsFree();
  }

  @Test
  void anErrorWhilePollingFailsTheExternalAttempt() {
    List<TaskAttempt> attempts = runToEnd("linkage", "badpoll", RunState.FAILED);
    assertThat(attempts).hasSize(2);
    assertThat(attempts).extracting(TaskAttempt::state).containsOnly(TaskState.FAILED);
    assertThat(attempts.get(0).message())
        .get()
        .asString()
        .contains("NoClassDefFoundError: org/apache/hadoop/Missing");
    theWorkerSlotIsFree();
  }

  @Test
  void aTaskThatIgnoresItsTimeoutIsAbandonedAfterTheGrace() throws Exception {
    client.deploy(
        Workflow.builder("stubborn_timeout")
            .task(
                "t",
                "stubborn",
                t -> t.timeout(Duration.ofMillis(300)).retry(RetryPolicy.fixed(1, Duration.ZERO)))
            .build());
    long id = client.trigger("stubborn_timeout");
    assertThat(client.awaitRun(id, WAIT).state()).isEqualTo(RunState.FAILED);
    List<TaskAttempt> attempts = attempts(id);
    assertThat(attempts).hasSize(2).extracting(TaskAttempt::state).containsOnly(TaskState.FAILED);
    assertThat(attempts.get(0).message())
        .get()
        .asString()
        .contains("timed out after 300ms; the task did not stop within 1s and was abandoned");
    assertThat(attempts.get(0).duration().orElseThrow()).isLessThan(Duration.ofSeconds(10));
    // both threads still run, and are counted; their slot was given back
    assertThat(platform.stats().abandonedAttempts()).isEqualTo(2);
    assertThat(platform.stats().abandonedThreads()).isEqualTo(2);
    theWorkerSlotIsFree();
    hold.countDown();
    Await.until(() -> platform.stats().abandonedThreads() == 0);
    theWorkerSlotIsFree();
  }

  @Test
  void killEndsATaskThatIgnoresInterrupts() throws Exception {
    client.deploy(Workflow.builder("stubborn_kill").task("t", "stubborn").build());
    long id = client.trigger("stubborn_kill");
    Await.until(() -> StuckTasks.started("stubborn", id));
    assertThat(client.kill(id)).isTrue();
    assertThat(client.awaitRun(id, WAIT).state()).isEqualTo(RunState.KILLED);
    TaskAttempt a = attempts(id).get(0);
    assertThat(a.state()).isEqualTo(TaskState.KILLED);
    assertThat(a.message()).get().asString().contains("and was abandoned");
    assertThat(platform.stats().abandonedThreads()).isEqualTo(1);
    theWorkerSlotIsFree();
  }

  @Test
  void killEndsAnExternalAttemptWhosePollHangs() throws Exception {
    client.deploy(Workflow.builder("hangpoll_kill").task("t", "hangpoll").build());
    long id = client.trigger("hangpoll_kill");
    Await.until(() -> StuckTasks.started("hangpoll", id));
    assertThat(client.kill(id)).isTrue();
    assertThat(client.awaitRun(id, WAIT).state()).isEqualTo(RunState.KILLED);
    TaskAttempt a = attempts(id).get(0);
    assertThat(a.state()).isEqualTo(TaskState.KILLED);
    assertThat(a.message()).get().asString().contains("and was abandoned");
    assertThat(platform.stats().abandonedThreads()).isEqualTo(1);
    theWorkerSlotIsFree();
    hold.countDown(); // the poll returns at last: counted off, and it polls no more
    Await.until(() -> platform.stats().abandonedThreads() == 0);
    assertThat(client.attempts(id).get(0).state()).isEqualTo(TaskState.KILLED);
  }

  @Test
  void killEndsExternalWorkWhoseSystemIgnoresTheCancel() throws Exception {
    client.deploy(Workflow.builder("deaf_kill").task("t", "deaf").build());
    long id = client.trigger("deaf_kill");
    Await.until(() -> StuckTasks.started("deaf", id));
    assertThat(client.kill(id)).isTrue();
    assertThat(client.awaitRun(id, WAIT).state()).isEqualTo(RunState.KILLED);
    TaskAttempt a = attempts(id).get(0);
    assertThat(a.state()).isEqualTo(TaskState.KILLED);
    assertThat(a.message())
        .get()
        .asString()
        .contains(
            "; external work deaf-"
                + a.id()
                + " did not report an end within 1s and was abandoned: it may still run")
        .doesNotContain("not retried");
    assertThat(Deaf.CANCELS).contains(id); // it was asked to stop, and ignored it
    assertThat(platform.stats().abandonedAttempts()).isEqualTo(1);
    assertThat(platform.stats().abandonedThreads()).isZero(); // no thread was in the plugin
    itIsPolledNoMore(id);
    theWorkerSlotIsFree();
  }

  @Test
  void aTimeoutEndsExternalWorkWhoseSystemIgnoresTheCancelWithoutARetry() throws Exception {
    client.deploy(
        Workflow.builder("deaf_timeout")
            .task(
                "t",
                "deaf",
                t -> t.timeout(Duration.ofMillis(300)).retry(RetryPolicy.fixed(1, Duration.ZERO)))
            .build());
    long id = client.trigger("deaf_timeout");
    assertThat(client.awaitRun(id, WAIT).state()).isEqualTo(RunState.FAILED);
    // a retry would start the work again next to the one that may still run
    List<TaskAttempt> attempts = attempts(id);
    assertThat(attempts).hasSize(1).extracting(TaskAttempt::state).containsOnly(TaskState.FAILED);
    assertThat(attempts.get(0).message())
        .get()
        .asString()
        .contains(
            "timed out after 300ms; external work deaf-"
                + attempts.get(0).id()
                + " did not report an end within 1s and was abandoned: it may still run, so it is"
                + " not retried");
    assertThat(Deaf.CANCELS).contains(id);
    assertThat(platform.stats().abandonedAttempts()).isEqualTo(1);
    assertThat(platform.stats().abandonedThreads()).isZero();
    itIsPolledNoMore(id);
    theWorkerSlotIsFree();
  }

  @Test
  void aTimedOutExternalAttemptWhosePollHangsIsNotRetried() throws Exception {
    client.deploy(
        Workflow.builder("hangpoll_timeout")
            .task(
                "t",
                "hangpoll",
                t -> t.timeout(Duration.ofMillis(300)).retry(RetryPolicy.fixed(1, Duration.ZERO)))
            .build());
    long id = client.trigger("hangpoll_timeout");
    assertThat(client.awaitRun(id, WAIT).state()).isEqualTo(RunState.FAILED);
    List<TaskAttempt> attempts = attempts(id);
    assertThat(attempts).hasSize(1).extracting(TaskAttempt::state).containsOnly(TaskState.FAILED);
    assertThat(attempts.get(0).message())
        .get()
        .asString()
        .contains(
            "timed out after 300ms; the task did not stop within 1s and was abandoned; not"
                + " retried, since its external work may still run");
    assertThat(platform.stats().abandonedThreads()).isEqualTo(1);
    theWorkerSlotIsFree();
  }

  @Test
  void aReleaseStillLeavesExternalWorkRunningForTheNextOwner() throws Exception {
    client.deploy(Workflow.builder("deaf_release").task("t", "deaf").build());
    long id = client.trigger("deaf_release");
    Await.until(() -> StuckTasks.started("deaf", id));
    platform.stop(); // released: handed back, not cancelled, not ended
    assertThat(Deaf.CANCELS).doesNotContain(id);
    assertThat(attempts(id)).hasSize(1);
    assertThat(attempts(id).get(0).state()).isNotIn(TaskState.KILLED, TaskState.FAILED);
    int polls = Deaf.polls(id);
    PlatformClient next =
        platforms
            .start(
                "next", b -> b.workerThreads(1).cancelGracePeriod(GRACE).plugin(new StuckTasks()))
            .client();
    Await.until(() -> Deaf.polls(id) > polls); // the next owner polls the same work again
    assertThat(next.kill(id)).isTrue();
    assertThat(next.awaitRun(id, WAIT).state()).isEqualTo(RunState.KILLED);
    TaskAttempt a = attempts(id).get(0);
    assertThat(attempts(id)).hasSize(1);
    assertThat(Deaf.SUBMISSIONS.get(id)).isEqualTo(1); // re-attached, not submitted again
    assertThat(a.message())
        .get()
        .asString()
        .contains("external work deaf-" + a.id() + " did not report an end");
  }

  /**
   * The abandoned external work of run {@code runId} is polled no more: while another external
   * attempt on this instance is polled ten times on the same timers and workers, its count of polls
   * grows by at most the one that may have been under way when it ended.
   */
  private void itIsPolledNoMore(long runId) {
    int before = Deaf.polls(runId);
    client.deploy(Workflow.builder("countdown").task("c", "countdown").build());
    long other = client.trigger("countdown");
    assertThat(client.awaitRun(other, WAIT).state()).isEqualTo(RunState.SUCCESS);
    assertThat(Countdown.POLLS.values()).contains(Countdown.TIMES);
    assertThat(Deaf.polls(runId)).isBetween(before, before + 1);
  }

  private List<TaskAttempt> runToEnd(String name, String type, RunState expected) {
    client.deploy(
        Workflow.builder(name)
            .task(type, type, t -> t.retry(RetryPolicy.fixed(1, Duration.ZERO)))
            .build());
    long id = client.trigger(name);
    assertThat(client.awaitRun(id, WAIT).state()).isEqualTo(expected);
    return attempts(id);
  }

  private List<TaskAttempt> attempts(long runId) {
    return client.attempts(runId).stream()
        .sorted(Comparator.comparingInt(TaskAttempt::attempt))
        .toList();
  }

  /** The only worker slot runs another task. */
  private void theWorkerSlotIsFree() {
    client.deploy(Workflow.builder("after").task("a", "emit").build());
    long id = client.trigger("after");
    assertThat(client.awaitRun(id, WAIT).state()).isEqualTo(RunState.SUCCESS);
  }

  /** Task types that misbehave. */
  static final class StuckTasks implements TaskPlugin {
    /** "type/runId" of every attempt that began. */
    static final java.util.Set<String> STARTED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static boolean started(String type, long runId) {
      return STARTED.contains(type + "/" + runId);
    }

    @Override
    public String name() {
      return "stuck-test";
    }

    @Override
    public List<TaskType> taskTypes() {
      return List.of(
          new Throwing("overflow", StackOverflowError::new),
          new Throwing("assertion", () -> new AssertionError("broken plugin")),
          new Throwing("oom", () -> new OutOfMemoryError("test heap")),
          new Stubborn(),
          new BadPoll(),
          new HangPoll(),
          new Deaf(),
          new Countdown());
    }
  }

  private static final class Throwing implements TaskType {
    private final String id;
    private final java.util.function.Supplier<Error> error;

    Throwing(String id, java.util.function.Supplier<Error> error) {
      this.id = id;
      this.error = error;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public TaskOutcome execute(TaskContext c) {
      throw error.get();
    }
  }

  /** Swallows interrupts and ignores cancellation until the test ends. */
  private static final class Stubborn implements TaskType {
    @Override
    public String id() {
      return "stubborn";
    }

    @Override
    public TaskOutcome execute(TaskContext c) {
      StuckTasks.STARTED.add("stubborn/" + c.runId());
      ignoreInterruptsUntilReleased();
      return TaskOutcome.success();
    }
  }

  private static void ignoreInterruptsUntilReleased() {
    while (hold.getCount() > 0) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException ignored) {
        // carries on regardless
      }
    }
  }

  /** External work whose poll throws what a class-path conflict throws. */
  private static final class BadPoll implements ExternalTaskType {
    @Override
    public String id() {
      return "badpoll";
    }

    @Override
    public Duration pollInterval() {
      return Duration.ofMillis(20);
    }

    @Override
    public ExternalRef submit(TaskContext c) {
      return new ExternalRef("bad-" + c.attemptId(), Map.of());
    }

    @Override
    public ExternalStatus poll(TaskContext c, ExternalRef ref) {
      throw new NoClassDefFoundError("org/apache/hadoop/Missing");
    }

    @Override
    public void cancel(TaskContext c, ExternalRef ref) {}
  }

  /** External work whose poll hangs, ignoring interrupts, until the test ends. */
  private static final class HangPoll implements ExternalTaskType {
    @Override
    public String id() {
      return "hangpoll";
    }

    @Override
    public List<TaskOption> options() {
      return List.of(TaskOption.optional("unused", OptionType.STRING, "", "nothing"));
    }

    @Override
    public Duration pollInterval() {
      return Duration.ofMillis(20);
    }

    @Override
    public ExternalRef submit(TaskContext c) {
      return new ExternalRef("hang-" + c.attemptId(), Map.of());
    }

    @Override
    public ExternalStatus poll(TaskContext c, ExternalRef ref) {
      StuckTasks.STARTED.add("hangpoll/" + c.runId());
      ignoreInterruptsUntilReleased();
      return ExternalStatus.running("released");
    }

    @Override
    public void cancel(TaskContext c, ExternalRef ref) {}
  }

  /**
   * External work whose system ignores every cancel and reports it running for ever (a job whose
   * cluster no longer answers cancels, say). Its polls are counted per run.
   */
  private static final class Deaf implements ExternalTaskType {
    static final Map<Long, java.util.concurrent.atomic.AtomicInteger> POLLS =
        new java.util.concurrent.ConcurrentHashMap<>();

    /** Runs whose work was asked to stop. */
    static final java.util.Set<Long> CANCELS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Submissions per run. */
    static final Map<Long, Integer> SUBMISSIONS = new java.util.concurrent.ConcurrentHashMap<>();

    static int polls(long runId) {
      java.util.concurrent.atomic.AtomicInteger n = POLLS.get(runId);
      return n == null ? 0 : n.get();
    }

    @Override
    public String id() {
      return "deaf";
    }

    @Override
    public Duration pollInterval() {
      return Duration.ofMillis(20);
    }

    @Override
    public ExternalRef submit(TaskContext c) {
      SUBMISSIONS.merge(c.runId(), 1, Integer::sum);
      return new ExternalRef("deaf-" + c.attemptId(), Map.of());
    }

    @Override
    public ExternalStatus poll(TaskContext c, ExternalRef ref) {
      POLLS
          .computeIfAbsent(c.runId(), k -> new java.util.concurrent.atomic.AtomicInteger())
          .incrementAndGet();
      StuckTasks.STARTED.add("deaf/" + c.runId());
      // a slow poll: the grace mostly ends while one is under way, which is not a hung call
      try {
        Thread.sleep(60);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return ExternalStatus.running("ignoring cancels");
    }

    @Override
    public void cancel(TaskContext c, ExternalRef ref) {
      CANCELS.add(c.runId());
    }
  }

  /** External work that ends successfully at its {@link #TIMES}th poll. */
  private static final class Countdown implements ExternalTaskType {
    static final int TIMES = 10;
    static final Map<Long, Integer> POLLS = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public String id() {
      return "countdown";
    }

    @Override
    public Duration pollInterval() {
      return Duration.ofMillis(20);
    }

    @Override
    public ExternalRef submit(TaskContext c) {
      return new ExternalRef("countdown-" + c.attemptId(), Map.of());
    }

    @Override
    public ExternalStatus poll(TaskContext c, ExternalRef ref) {
      return POLLS.merge(c.attemptId(), 1, Integer::sum) >= TIMES
          ? ExternalStatus.finished(TaskOutcome.success())
          : ExternalStatus.running("counting down");
    }

    @Override
    public void cancel(TaskContext c, ExternalRef ref) {}
  }
}
