package io.flinkplatform.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.Sql;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.spi.TaskContext;
import io.flinkplatform.spi.TaskOutcome;
import io.flinkplatform.spi.TaskPlugin;
import io.flinkplatform.spi.TaskType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Listeners and plugins' cancellation callbacks cannot stall the engine (review F7): events are
 * delivered on a thread of their own through a bounded queue, callbacks run on a pool of their own.
 * The old code called both on the engine's threads, where a blocked one stopped commits, starts,
 * timeouts or lease renewals.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES) // the old code blocks the test thread in trigger()
class ListenerIsolationTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** Released when the test ends: what blocks on it blocks "forever" meanwhile. */
  private static volatile CountDownLatch never = new CountDownLatch(1);

  private TestPlatforms platforms;

  @BeforeEach
  void setUp() {
    never = new CountDownLatch(1);
    Clinger.STARTED.clear();
    Clinger.CALLED.set(0);
    platforms = new TestPlatforms();
  }

  @AfterEach
  void tearDown() {
    never.countDown();
    if (platforms != null) {
      platforms.close();
    }
  }

  @Test
  void aListenerThatBlocksForeverStallsNoRunAndNoInstanceTakesItsWorkOver() throws Exception {
    AtomicInteger seen = new AtomicInteger();
    Platform slow =
        platforms.start(
            "slow-listener",
            b ->
                b.workerThreads(4)
                    .eventQueueCapacity(8)
                    .listener(
                        e -> {
                          seen.incrementAndGet();
                          try {
                            never.await();
                          } catch (InterruptedException stop) {
                            Thread.currentThread().interrupt();
                          }
                        }));
    platforms.start("other", b -> b.workerThreads(4));
    PlatformClient client = slow.client();
    Workflow.Builder w = Workflow.builder("fan").task("start", "noop");
    for (int i = 0; i < 4; i++) {
      w.task("t" + i, "sleep", t -> t.after("start").option("duration", "200ms"));
    }
    client.deploy(w.task("end", "noop", t -> t.after("t0", "t1", "t2", "t3")).build());
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      ids.add(client.trigger("fan"));
    }
    for (long id : ids) {
      assertThat(client.awaitRun(id, WAIT).state()).isEqualTo(RunState.SUCCESS);
    }
    List<TaskAttempt> attempts = ids.stream().flatMap(id -> client.attempts(id).stream()).toList();
    assertThat(attempts).hasSize(6 * 6);
    assertThat(attempts)
        .as("each attempt claimed once: no other instance took one over")
        .allMatch(a -> a.epoch() == 1 && a.attempt() == 1 && a.state() == TaskState.SUCCESS);
    assertThat(attempts)
        .as("the instance with the blocked listener did its share")
        .anyMatch(a -> a.owner().orElseThrow().startsWith("slow-listener#"));
    assertThat(seen.get()).as("the listener got the first event and blocks in it").isEqualTo(1);
    assertThat(slow.stats().droppedEvents()).as("the full queue dropped and counted").isPositive();

    long began = System.nanoTime();
    slow.stop();
    assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(15));
    assertThat(
            Sql.single(
                platforms.dataSource(),
                "SELECT COUNT(*) FROM t_worker WHERE instance_name = 'slow-listener'"
                    + " AND state = 'STOPPED'"))
        .isEqualTo(1);
    assertThat(
            Sql.single(
                platforms.dataSource(),
                "SELECT COUNT(*) FROM t_job_run WHERE state" + " <> 'SUCCESS'"))
        .isZero();
    Await.until(
        () ->
            Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("fp-events-slow-listener")));
  }

  @Test
  void aCancelCallbackThatBlocksStopsNoTimeoutNorLeaseRenewal() throws Exception {
    Platform worker =
        platforms.start("worker", b -> b.workerThreads(4).plugin(new ClingerPlugin()));
    PlatformClient client = worker.client();
    // kills go through the database: the worker's heartbeat sees them and cancels there
    PlatformClient elsewhere = platforms.start("client-only", b -> b.workerThreads(0)).client();
    client.deploy(
        Workflow.builder("long").task("l", "sleep", t -> t.option("duration", "6s")).build());
    client.deploy(Workflow.builder("cling").task("c", "clinger").build());
    client.deploy(
        Workflow.builder("cling_timeout")
            .task("c", "clinger", t -> t.timeout(Duration.ofMillis(300)))
            .build());
    client.deploy(
        Workflow.builder("slow")
            .task("s", "sleep", t -> t.option("duration", "60s").timeout(Duration.ofSeconds(1)))
            .build());

    long longRun = client.trigger("long");
    long killed = client.trigger("cling");
    Await.until(() -> Clinger.STARTED.contains(killed));
    assertThat(elsewhere.kill(killed)).isTrue();
    assertThat(client.awaitRun(killed, WAIT).state()).isEqualTo(RunState.KILLED);
    Await.until(() -> Clinger.CALLED.get() == 1); // blocks on the callback pool from now on

    long timedOut = client.trigger("cling_timeout");
    assertThat(client.awaitRun(timedOut, WAIT).state()).isEqualTo(RunState.FAILED);
    Await.until(() -> Clinger.CALLED.get() == 2);

    long slow = client.trigger("slow");
    assertThat(client.awaitRun(slow, WAIT).state()).isEqualTo(RunState.FAILED);
    TaskAttempt s = client.attempts(slow).get(0);
    assertThat(s.message()).get().asString().contains("timed out after 1s");
    assertThat(s.duration().orElseThrow()).isLessThan(Duration.ofSeconds(20));

    assertThat(client.awaitRun(longRun, WAIT).state()).isEqualTo(RunState.SUCCESS);
    TaskAttempt l = client.attempts(longRun).get(0);
    assertThat(l.epoch()).as("its lease was renewed all along: never taken over").isEqualTo(1);
    assertThat(l.owner().orElseThrow()).startsWith("worker#");
  }

  static final class ClingerPlugin implements TaskPlugin {
    @Override
    public String name() {
      return "clinger-test";
    }

    @Override
    public List<TaskType> taskTypes() {
      return List.of(new Clinger());
    }
  }

  /** Registers a cancellation callback that blocks, then waits to be interrupted. */
  static final class Clinger implements TaskType {
    static final Set<Long> STARTED = ConcurrentHashMap.newKeySet();
    static final AtomicInteger CALLED = new AtomicInteger();

    @Override
    public String id() {
      return "clinger";
    }

    @Override
    public TaskOutcome execute(TaskContext c) throws InterruptedException {
      c.cancellation()
          .onCancel(
              () -> {
                CALLED.incrementAndGet();
                try {
                  never.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      STARTED.add(c.runId());
      Thread.sleep(60_000);
      return TaskOutcome.success();
    }
  }
}
