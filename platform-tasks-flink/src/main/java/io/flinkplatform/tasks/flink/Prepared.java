package io.flinkplatform.tasks.flink;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.flink.client.deployment.application.ApplicationConfiguration;
import org.apache.flink.runtime.jobgraph.JobGraph;

/**
 * What is sent to a cluster: a job graph built here, or (YARN application mode) the program whose
 * main builds the job in the cluster; and local files to delete once it was deployed.
 */
record Prepared(
    Optional<JobGraph> graph, Optional<ApplicationConfiguration> program, List<Path> temporary) {
  static final Prepared NOTHING = new Prepared(Optional.empty(), Optional.empty(), List.of());

  static Prepared program(ApplicationConfiguration program, List<Path> temporary) {
    return new Prepared(Optional.empty(), Optional.of(program), List.copyOf(temporary));
  }

  boolean empty() {
    return graph.isEmpty() && program.isEmpty();
  }
}
