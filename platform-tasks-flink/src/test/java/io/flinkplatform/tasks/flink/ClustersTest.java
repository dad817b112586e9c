package io.flinkplatform.tasks.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/** The REST clients the plugin keeps: bounded, and closed when a YARN application's job ends. */
class ClustersTest {

  @Test
  void restClientsAreBoundedAndTheLeastRecentlyUsedIsClosedFirst() throws Exception {
    try (Clusters clusters = new Clusters(new Configuration(), new FlinkSettings(Map.of()))) {
      var session = clusters.client("http://127.0.0.1:20000");
      for (int i = 1; i <= Clusters.MAX_CLIENTS + 8; i++) {
        clusters.client("http://127.0.0.1:" + (20000 + i));
        // the session cluster's client is used all along: it stays
        assertThat(clusters.client("http://127.0.0.1:20000")).isSameAs(session);
      }
      assertThat(clusters.openClients()).isEqualTo(Clusters.MAX_CLIENTS);
      assertThat(clusters.client("http://127.0.0.1:20000")).isSameAs(session);
    }
  }

  @Test
  void theClientOfAYarnApplicationIsClosedWhenItsJobEndsAndItsTagForgotten() throws Exception {
    try (Clusters clusters = new Clusters(new Configuration(), new FlinkSettings(Map.of()))) {
      String yarn = "yarn://flink-platform-0123";
      clusters.remember(yarn, "http://127.0.0.1:30001");
      var first = clusters.client("http://127.0.0.1:30001");
      clusters.client("http://127.0.0.1:30002");
      assertThat(clusters.openClients()).isEqualTo(2);

      clusters.ended(yarn);
      assertThat(clusters.openClients()).isEqualTo(1);
      assertThat(clusters.client("http://127.0.0.1:30001")).isNotSameAs(first);

      // a session cluster keeps its client when one of its jobs ends
      clusters.ended("http://127.0.0.1:30002");
      assertThat(clusters.openClients()).isEqualTo(2);
    }
  }
}
