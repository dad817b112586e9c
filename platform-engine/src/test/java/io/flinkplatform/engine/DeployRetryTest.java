package io.flinkplatform.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.DeployedWorkflow;
import io.flinkplatform.engine.testing.Sql;
import io.flinkplatform.engine.testing.TestPlatforms;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * deploy() tries again only when a concurrent deploy of the same name took the version, or it lost
 * a lock race (a deadlock).
 */
class DeployRetryTest {

  @Test
  void aDatabaseErrorThatIsNotAVersionRaceIsNotRetried() throws Exception {
    try (TestPlatforms platforms = new TestPlatforms()) {
      PlatformClient client = platforms.start("a").client();
      // a sequence is not transactional: it counts the inserts tried, even those rolled back
      Sql.update(platforms.dataSource(), "CREATE SEQUENCE deploy_tries NOCACHE");
      Sql.update(
          platforms.dataSource(),
          "CREATE TRIGGER refuse_deploy BEFORE INSERT ON t_job_flow FOR EACH ROW"
              + " BEGIN"
              + "   IF NEW.name = 'refused' THEN"
              + "     SET @n = NEXTVAL(deploy_tries);"
              + "     SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by the test';"
              + "   END IF;"
              + " END");

      assertThatThrownBy(() -> client.deploy(Workflow.builder("refused").task("a", "noop").build()))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("refused by the test");

      assertThat(Sql.single(platforms.dataSource(), "SELECT NEXTVAL(deploy_tries)"))
          .as("the next value after the tries")
          .isEqualTo(2);
      assertThat(client.workflow("refused")).isEmpty();
    }
  }

  @Test
  void aDeadlockIsRetried() throws Exception {
    try (TestPlatforms platforms = new TestPlatforms()) {
      PlatformClient client = platforms.start("a").client();
      // the sequence counts the inserts tried (it is not rolled back); the first one deadlocks
      Sql.update(platforms.dataSource(), "CREATE SEQUENCE deadlock_tries NOCACHE");
      Sql.update(
          platforms.dataSource(),
          "CREATE TRIGGER deadlock_once BEFORE INSERT ON t_job_flow FOR EACH ROW"
              + " BEGIN"
              + "   IF NEW.name = 'deadlocked' AND NEXTVAL(deadlock_tries) = 1 THEN"
              + "     SIGNAL SQLSTATE '40001' SET MYSQL_ERRNO = 1213,"
              + "       MESSAGE_TEXT = 'Deadlock found when trying to get lock (raised by the test)';"
              + "   END IF;"
              + " END");

      DeployedWorkflow deployed =
          client.deploy(Workflow.builder("deadlocked").task("a", "noop").task("b", "noop").build());

      assertThat(deployed.version()).isEqualTo(1);
      assertThat(Sql.single(platforms.dataSource(), "SELECT NEXTVAL(deadlock_tries)"))
          .as("the next value after the tries")
          .isEqualTo(3);
      assertThat(client.workflow("deadlocked").orElseThrow().workflow().tasks()).hasSize(2);
      assertThat(
              Sql.single(
                  platforms.dataSource(),
                  "SELECT COUNT(*) FROM t_job_flow WHERE name = 'deadlocked'"))
          .isEqualTo(1);
    }
  }

  @Test
  void concurrentDeploysOfOneNameAllGetTheirOwnVersion() throws Exception {
    int threads = 3; // each try at least one of them wins: three tries are enough for three
    try (TestPlatforms platforms = new TestPlatforms()) {
      PlatformClient client = platforms.start("a").client();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Future<Integer>> deploys = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          deploys.add(
              pool.submit(
                  () -> {
                    start.await();
                    return client
                        .deploy(Workflow.builder("raced").task("a", "noop").build())
                        .version();
                  }));
        }
        List<Integer> versions = new ArrayList<>();
        for (Future<Integer> f : deploys) {
          versions.add(f.get());
        }
        assertThat(versions).containsExactlyInAnyOrder(1, 2, 3);
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
