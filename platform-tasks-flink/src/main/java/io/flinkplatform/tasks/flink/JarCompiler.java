package io.flinkplatform.tasks.flink;

import java.io.File;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.ClientUtils;
import org.apache.flink.client.program.PackagedProgram;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.jobgraph.JobGraph;

/**
 * Runs a jar's main in this JVM with an executor that keeps the job instead of running it, and
 * returns the job graph. Flink hands a program its environment through JVM-wide context factories,
 * so programs are compiled one at a time, each on a thread of its own and within a deadline. A name
 * the program gives its job stands unless the task sets {@code job_name}.
 */
final class JarCompiler {
  /** Held while a program runs; Flink's context factories are JVM-wide. */
  private static final ReentrantLock CONTEXT_LOCK = new ReentrantLock();

  private static final AtomicInteger THREADS = new AtomicInteger();
  private static volatile String holder = "";

  private JarCompiler() {}

  /** The earlier of now + {@code timeout} and the attempt's deadline. */
  static Instant deadline(Duration timeout, Optional<Instant> attemptDeadline) {
    Instant d = Instant.now().plus(timeout);
    return attemptDeadline.filter(a -> a.isBefore(d)).orElse(d);
  }

  /**
   * Builds the job graph of a jar's program. The program's main runs on a thread of its own: if it
   * has not executed its job by {@code deadline} it is interrupted and left behind (a daemon
   * thread), and this throws a {@link TimeoutException} naming it, so a main that never returns
   * never holds a worker thread.
   */
  static JobGraph compile(
      File jar,
      List<File> extraJars,
      String mainClass,
      List<String> args,
      Configuration conf,
      Optional<String> jobName,
      JobID jobId,
      Instant deadline)
      throws Exception {
    FutureTask<JobGraph> task =
        new FutureTask<>(
            () -> compileHere(jar, extraJars, mainClass, args, conf, jobName, jobId, deadline));
    Thread t = new Thread(task, "flink-jar-main-" + THREADS.incrementAndGet());
    t.setDaemon(true);
    t.start();
    try {
      return task.get(
          Math.max(1, Duration.between(Instant.now(), deadline).toMillis()), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      t.interrupt();
      task.cancel(true);
      throw new TimeoutException(
          "the main method of "
              + (mainClass == null ? manifestMainClass(jar) : mainClass)
              + " did not build its Flink job by "
              + deadline
              + " (setting "
              + FlinkSettings.JAR_BUILD_TIMEOUT
              + "); it was interrupted and its thread "
              + t.getName()
              + " left behind");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception ex) {
        throw ex;
      }
      throw e;
    }
  }

  private static String manifestMainClass(File jar) {
    try (java.util.jar.JarFile j = new java.util.jar.JarFile(jar)) {
      return Optional.ofNullable(j.getManifest())
          .map(m -> m.getMainAttributes().getValue(java.util.jar.Attributes.Name.MAIN_CLASS))
          .orElse(jar.getName());
    } catch (java.io.IOException e) {
      return jar.getName();
    }
  }

  private static JobGraph compileHere(
      File jar,
      List<File> extraJars,
      String mainClass,
      List<String> args,
      Configuration conf,
      Optional<String> jobName,
      JobID jobId,
      Instant deadline)
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
      long wait = Math.max(1, Duration.between(Instant.now(), deadline).toMillis());
      if (!CONTEXT_LOCK.tryLock(wait, TimeUnit.MILLISECONDS)) {
        throw new TimeoutException(
            "another jar's main (" + holder + ") still holds Flink's program context");
      }
      try {
        holder = program.getMainClassName();
        ClientUtils.executeProgram(capture, c, program, false, true);
      } finally {
        holder = "";
        CONTEXT_LOCK.unlock();
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
