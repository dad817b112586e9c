package io.flinkplatform.tasks.flink;

import io.flinkplatform.spi.StoredResources;
import io.flinkplatform.spi.TaskConfig;
import io.flinkplatform.spi.TaskContext;
import io.flinkplatform.spi.Workspaces;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.deployment.application.ApplicationConfiguration;
import org.apache.flink.client.program.ProgramInvocationException;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.jobgraph.JobGraph;

/**
 * The job of {@code flink_jar}: a jar whose main builds a Flink job. The jar and extra jars come
 * from the resource store (Hadoop FileSystem URIs); the main runs in this JVM only to build the job
 * graph ({@link JarCompiler}), which is then submitted with the attempt's job id.
 */
final class JarTaskCompiler implements JobCompiler {
  @Override
  public List<String> problems(TaskConfig config, ConfKeys keys) {
    List<String> problems = new ArrayList<>();
    checkUri(FlinkOptions.JAR, config.requireString(FlinkOptions.JAR), problems);
    config
        .stringList(FlinkOptions.EXTRA_JARS)
        .forEach(j -> checkUri(FlinkOptions.EXTRA_JARS, j, problems));
    config
        .string(FlinkOptions.MAIN_CLASS)
        .filter(c -> !c.matches("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*"))
        .ifPresent(c -> problems.add("option 'main_class': '" + c + "' is not a Java class name"));
    return problems;
  }

  private static void checkUri(String option, String value, List<String> problems) {
    if (StoredResources.isReference(value.trim())) {
      try {
        StoredResources.parse(Workspaces.DEFAULT, value.trim()); // the syntax; existence later
      } catch (IllegalArgumentException e) {
        problems.add("option '" + option + "': " + e.getMessage());
      }
      return;
    }
    try {
      URI u = URI.create(value.trim());
      if (!value.trim().endsWith(".jar")) {
        problems.add("option '" + option + "': '" + value + "' does not name a .jar file");
      } else if (u.getScheme() != null && u.getPath() == null) {
        problems.add("option '" + option + "': '" + value + "' has no path");
      }
    } catch (IllegalArgumentException e) {
      problems.add("option '" + option + "': '" + value + "' is not a URI: " + e.getMessage());
    }
  }

  /** Local copies of the task's jar (first) and extra jars. */
  private static List<File> jars(TaskContext ctx, FlinkRuntime rt) throws Rejected {
    TaskConfig tc = ctx.config();
    List<File> jars = new ArrayList<>();
    try {
      jars.add(rt.resources.local(ctx.workspace(), tc.requireString(FlinkOptions.JAR)));
      for (String uri : tc.stringList(FlinkOptions.EXTRA_JARS)) {
        jars.add(rt.resources.local(ctx.workspace(), uri));
      }
    } catch (IOException e) {
      throw new Rejected(e.getMessage());
    }
    return jars;
  }

  @Override
  public Optional<JobGraph> compile(
      TaskContext ctx, FlinkRuntime rt, Configuration conf, JobID id, String mark)
      throws Rejected, Exception {
    if (rt.sharedMode) {
      // the last line of defence: building the graph here runs the jar's main in this JVM
      throw new Rejected(
          "option 'target': building a flink_jar job graph in the platform's JVM is refused in"
              + " shared mode; use 'yarn-application'");
    }
    TaskConfig tc = ctx.config();
    List<File> jars = jars(ctx, rt);
    try {
      return Optional.of(
          JarCompiler.compile(
              jars.get(0),
              jars.subList(1, jars.size()),
              tc.string(FlinkOptions.MAIN_CLASS).orElse(null),
              tc.stringList(FlinkOptions.ARGS),
              conf,
              tc.string(FlinkOptions.JOB_NAME),
              id,
              mark,
              JarCompiler.deadline(rt.settings.jarBuildTimeout(), ctx.deadline())));
    } catch (ProgramInvocationException | IllegalArgumentException e) {
      throw new Rejected("the jar's program cannot build a job: " + FlinkRuntime.rootMessage(e));
    } catch (TimeoutException | FlinkTaskException e) {
      // a main past its deadline, or a JVM that refuses exit interception
      throw new Rejected(e.getMessage());
    }
  }

  /**
   * In a YARN application cluster the jar's main runs in the cluster: the jar is the one pipeline
   * jar, extra jars are shipped onto the cluster's class path.
   */
  @Override
  public Prepared application(TaskContext ctx, FlinkRuntime rt, Configuration conf, JobID id)
      throws Rejected {
    TaskConfig tc = ctx.config();
    List<File> jars = jars(ctx, rt);
    conf.set(PipelineOptions.JARS, List.of(jars.get(0).toURI().toString()));
    if (jars.size() > 1) {
      YarnClusters.ship(conf, jars.subList(1, jars.size()));
    }
    return Prepared.program(
        new ApplicationConfiguration(
            tc.stringList(FlinkOptions.ARGS).toArray(String[]::new),
            tc.string(FlinkOptions.MAIN_CLASS).orElse(null)),
        List.of());
  }
}
