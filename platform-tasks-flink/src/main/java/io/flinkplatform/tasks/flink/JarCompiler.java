package io.flinkplatform.tasks.flink;

import java.io.File;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.ClientUtils;
import org.apache.flink.client.program.PackagedProgram;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.jobgraph.JobGraph;

/**
 * Runs a jar's main in this JVM with an executor that keeps the job instead of running it, and
 * returns the job graph. Flink hands a program its environment through JVM-wide context factories,
 * so programs are compiled one at a time. A name the program gives its job stands unless the task
 * sets {@code job_name}.
 */
final class JarCompiler {
  private static final Object CONTEXT_LOCK = new Object();

  private JarCompiler() {}

  static JobGraph compile(
      File jar,
      List<File> extraJars,
      String mainClass,
      List<String> args,
      Configuration conf,
      Optional<String> jobName,
      JobID jobId)
      throws Exception {
    List<URL> classPath = new ArrayList<>();
    List<String> shipped = new ArrayList<>();
    shipped.add(jar.toURI().toURL().toString());
    for (File f : extraJars) {
      classPath.add(f.toURI().toURL());
      shipped.add(f.toURI().toURL().toString());
    }
    Configuration c = PipelineCapture.target(conf);
    c.set(PipelineOptions.JARS, shipped);
    PackagedProgram program =
        PackagedProgram.newBuilder()
            .setJarFile(jar)
            .setUserClassPaths(classPath)
            .setEntryPointClassName(mainClass)
            .setArguments(args.toArray(String[]::new))
            .setConfiguration(c)
            .build();
    try {
      PipelineCapture capture = new PipelineCapture();
      synchronized (CONTEXT_LOCK) {
        ClientUtils.executeProgram(capture, c, program, false, true);
      }
      if (!capture.captured()) {
        throw new IllegalArgumentException(
            "the main method of "
                + program.getMainClassName()
                + " returned without executing a Flink job");
      }
      if (capture.executions() > 1) {
        throw new IllegalArgumentException(
            "the main method of "
                + program.getMainClassName()
                + " executed "
                + capture.executions()
                + " Flink jobs; a task runs one job");
      }
      return capture.jobGraph(c, jobName, jobId);
    } finally {
      program.close();
    }
  }
}
