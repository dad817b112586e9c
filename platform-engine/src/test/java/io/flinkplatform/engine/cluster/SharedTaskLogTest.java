package io.flinkplatform.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.dag.RetryPolicy;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.LogChunk;
import io.flinkplatform.engine.run.LogRange;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.storage.BlobStore;
import io.flinkplatform.engine.storage.BlobStoreContract;
import io.flinkplatform.engine.storage.BlobStores;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.spi.TaskContext;
import io.flinkplatform.spi.TaskOutcome;
import io.flinkplatform.spi.TaskPlugin;
import io.flinkplatform.spi.TaskType;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Task logs shipped to HDFS (a MiniDFSCluster in this JVM) are read on another instance: while the
 * task runs on the first, and once the first is stopped and its log directory gone.
 */
class SharedTaskLogTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Duration SHIP_INTERVAL = Duration.ofMillis(200);

  @TempDir static Path work;
  private static MiniDFSCluster dfs;
  private static URI root;

  @BeforeAll
  static void startHdfs() throws Exception {
    Configuration hc = new Configuration();
    hc.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, work.resolve("dfs").toString());
    // some sandboxes report no free space to Hadoop's disk checks: do not let them stop the test
    hc.setLong("dfs.namenode.resource.du.reserved", 0);
    hc.setInt("dfs.namenode.resource.checked.volumes.minimum", 0);
    dfs = new MiniDFSCluster.Builder(hc).numDataNodes(1).build();
    dfs.waitActive();
    root = URI.create(dfs.getURI() + "/platform");
  }

  @AfterAll
  static void stopHdfs() {
    if (dfs != null) {
      dfs.shutdown(true); // deletes its directories too
    }
  }

  private static BlobStore hdfs(String under) {
    return BlobStores.hadoop(URI.create(root + "/" + under), Map.of("dfs.replication", "1"));
  }

  @Test
  void theHdfsStoreKeepsTheBlobStoreContract() throws Exception {
    try (BlobStore store = hdfs("contract")) {
      assertThat(store.describe()).startsWith("hdfs://");
      BlobStoreContract.check(store);
    }
  }

  /** Writes {@link #FIRST} lines, waits for {@link #release}, writes {@link #SECOND}, succeeds. */
  static final class Chatty implements TaskPlugin, TaskType {
    static final List<String> FIRST =
        IntStream.rangeClosed(1, 100).mapToObj(i -> "line " + i + " of the first half").toList();
    static final List<String> SECOND =
        IntStream.rangeClosed(101, 300).mapToObj(i -> "line " + i + " — zweite Hälfte ✓").toList();
    static volatile CountDownLatch release = new CountDownLatch(1);

    @Override
    public String name() {
      return "chatty";
    }

    @Override
    public List<TaskType> taskTypes() {
      return List.of(this);
    }

    @Override
    public String id() {
      return "chatty";
    }

    @Override
    public TaskOutcome execute(TaskContext c) throws InterruptedException {
      FIRST.forEach(c.log()::line);
      if (!release.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
        return new TaskOutcome.Failure("never released", false);
      }
      SECOND.forEach(c.log()::line);
      return TaskOutcome.success();
    }

    static String text(List<String> lines) {
      return String.join("\n", lines) + "\n";
    }
  }

  @Test
  void aLogIsReadOnAnotherInstanceWhileItRunsAndAfterItsInstanceIsGone() throws Exception {
    Chatty.release = new CountDownLatch(1);
    Path dirA = work.resolve("logs-a");
    Path dirB = work.resolve("logs-b");
    // the stores close after the platforms (the host closes its store after stop())
    try (BlobStore sharedA = hdfs("shared");
        BlobStore sharedB = hdfs("shared");
        TestPlatforms platforms = new TestPlatforms()) {
      Platform a =
          platforms.start(
              "a",
              p ->
                  p.plugin(new Chatty())
                      .logDirectory(dirA)
                      .sharedLogStore(sharedA)
                      .logShipInterval(SHIP_INTERVAL));
      // b runs nothing: every attempt runs on a
      PlatformClient b =
          platforms
              .start(
                  "b",
                  p ->
                      p.plugin(new Chatty())
                          .workerThreads(0)
                          .logDirectory(dirB)
                          .sharedLogStore(sharedB)
                          .logShipInterval(SHIP_INTERVAL))
              .client();
      a.client()
          .deploy(
              Workflow.builder("chatty")
                  .task("talk", "chatty", t -> t.retry(RetryPolicy.NONE))
                  .build());
      long runId = a.client().trigger("chatty");

      Await.until(WAIT, () -> !b.attempts(runId).isEmpty());
      long attemptId = b.attempts(runId).get(0).id();
      String first = Chatty.text(Chatty.FIRST);
      try {
        // live: b sees what a shipped, whole lines only, while the attempt still runs on a
        Await.until(
            WAIT,
            () -> {
              String seen = b.log(attemptId, LogRange.from(0, 1 << 20)).text();
              assertThat(first).startsWith(seen);
              return seen.equals(first);
            });
        assertThat(b.attempts(runId).get(0).state()).isEqualTo(TaskState.RUNNING);
        assertThat(Files.exists(dirB.resolve(Long.toString(runId))))
            .as("b read the shared copy, it has none of its own")
            .isFalse();
      } finally {
        Chatty.release.countDown();
      }
      assertThat(b.awaitRun(runId, WAIT).state()).isEqualTo(RunState.SUCCESS);

      a.stop();
      deleteTree(dirA); // the instance is gone, and its disk with it

      String all = first + Chatty.text(Chatty.SECOND);
      byte[] bytes = all.getBytes(StandardCharsets.UTF_8);
      TaskAttempt attempt = b.attempts(runId).get(0);
      assertThat(b.log(attempt)).isEqualTo(all);

      LogChunk middle = b.log(attemptId, LogRange.from(bytes.length / 2 + 1, 700));
      assertThat(middle.size()).isEqualTo(bytes.length);
      assertThat(middle.start()).isBetween(bytes.length / 2 + 1L, bytes.length / 2 + 4L);
      assertThat(middle.end()).isBetween(middle.start(), bytes.length / 2 + 701L);
      assertThat(middle.text())
          .isEqualTo(
              new String(
                  bytes,
                  (int) middle.start(),
                  (int) (middle.end() - middle.start()),
                  StandardCharsets.UTF_8));
      LogChunk tail = b.log(attemptId, LogRange.tail(200));
      assertThat(all).endsWith(tail.text());
      assertThat(tail.end()).isEqualTo(bytes.length);
    }
  }

  private static void deleteTree(Path dir) throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
