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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.ClientUtils;
import org.apache.flink.client.program.PackagedProgram;
import org.apache.flink.configuration.ClusterOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.security.FlinkSecurityManager;
import org.apache.flink.core.security.UserSystemExitException;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.util.ExceptionUtils;

/**
 * Runs a jar's main in this JVM with an executor that keeps the job instead of running it, and
 * returns the job graph. Flink hands a program its environment through JVM-wide context factories,
 * so programs are compiled one at a time, each on a thread of its own and within a deadline. A name
 * the program gives its job stands unless the task sets {@code job_name}.
 *
 * <p>A program cannot take the JVM down: {@code System.exit} (and {@code Runtime.halt}) from the
 * main thread or any thread it starts throws Flink's {@link UserSystemExitException} instead (the
 * mechanism of {@code cluster.intercept-user-system-exit: THROW}: Flink's {@link
 * FlinkSecurityManager}, installed JVM-wide on the first build). A program cannot keep the context
 * either: at its deadline it is interrupted, its class loader closed and the context released for
 * the next program, whether or not its thread ever returns.
 */
final class JarCompiler {
  /** Flink's program context: one program at a time, released by the holder or at its deadline. */
  private static final Semaphore CONTEXT = new Semaphore(1, true);

  private static final AtomicInteger THREADS = new AtomicInteger();
  private static volatile String holder = "";
  private static boolean exitsIntercepted;

  private JarCompiler() {}

  /**
   * One build's claim on the context and its program: released once, when the program returns or
   * when the build is abandoned at its deadline, whichever comes first.
   */
  private static final class Hold {
    private static final int WAITING = 0;
    private static final int HELD = 1;
    private static final int DONE = 2;
    private final AtomicInteger state = new AtomicInteger(WAITING);
    private final AtomicReference<PackagedProgram> program = new AtomicReference<>();

    boolean acquire(long millis, String mainClass) throws InterruptedException {
      if (!CONTEXT.tryAcquire(millis, TimeUnit.MILLISECONDS)) {
        return false;
      }
      if (!state.compareAndSet(WAITING, HELD)) {
        CONTEXT.release(); // abandoned while it waited
        return false;
      }
      holder = mainClass;
      return true;
    }

    void release() {
      if (state.getAndSet(DONE) == HELD) {
        holder = "";
        CONTEXT.release();
      }
    }

    /** Releases the context and closes the program's class loader. */
    void abandon() {
      release();
      closeProgram();
    }

    void closeProgram() {
      PackagedProgram p = program.getAndSet(null);
      if (p != null) {
        p.close();
      }
    }
  }

  /** The earlier of now + {@code timeout} and the attempt's deadline. */
  static Instant deadline(Duration timeout, Optional<Instant> attemptDeadline) {
    Instant d = Instant.now().plus(timeout);
    return attemptDeadline.filter(a -> a.isBefore(d)).orElse(d);
  }

  /**
   * Installs Flink's exit interception once per JVM. Fails naming the JVM flag when the JVM refuses
   * a security manager (Java 18 and later unless started with {@code
   * -Djava.security.manager=allow}).
   */
  static synchronized void interceptExits() {
    if (exitsIntercepted) {
      return;
    }
    Configuration c = new Configuration();
    c.set(ClusterOptions.INTERCEPT_USER_SYSTEM_EXIT, ClusterOptions.UserSystemExitMode.THROW);
    try {
      FlinkSecurityManager.setFromConfiguration(c);
    } catch (RuntimeException e) {
      throw new FlinkTaskException(
          "flink_jar runs a jar's main in this JVM only with System.exit intercepted, and this JVM"
              + " refuses Flink's security manager ("
              + FlinkRuntime.rootMessage(e)
              + "): start it with -Djava.security.manager=allow, or use target yarn-application,"
              + " where main runs in the cluster",
          e);
    }
    exitsIntercepted = true;
  }

  /**
   * Builds the job graph of a jar's program, its name followed by {@code mark}. The program's main
   * runs on a thread of its own: if it has not executed its job by {@code deadline} it is
   * interrupted and left behind (a daemon thread), its class loader is closed and Flink's program
   * context released, and this throws a {@link TimeoutException} naming it, so a main that never
   * returns holds neither a worker thread nor later builds.
   */
  static JobGraph compile(
      File jar,
      List<File> extraJars,
      String mainClass,
      List<String> args,
      Configuration conf,
      Optional<String> jobName,
      JobID jobId,
      String mark,
      Instant deadline)
      throws Exception {
    interceptExits();
    Hold hold = new Hold();
    FutureTask<JobGraph> task =
        new FutureTask<>(
            () ->
                compileHere(
                    jar, extraJars, mainClass, args, conf, jobName, jobId, mark, deadline, hold));
    Thread t = new Thread(task, "flink-jar-main-" + THREADS.incrementAndGet());
    t.setDaemon(true);
    t.start();
    try {
      return task.get(
          Math.max(1, Duration.between(Instant.now(), deadline).toMillis()), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      t.interrupt();
      task.cancel(true);
      hold.abandon();
      throw new TimeoutException(
          "the main method of "
              + (mainClass == null ? manifestMainClass(jar) : mainClass)
              + " did not build its Flink job by "
              + deadline
              + " (setting "
              + FlinkSettings.JAR_BUILD_TIMEOUT
              + "); it was interrupted, its class loader closed, and its thread "
              + t.getName()
              + " left behind");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (ExceptionUtils.findThrowable(cause, UserSystemExitException.class).isPresent()) {
        throw new IllegalArgumentException(
            "the main method of "
                + (mainClass == null ? manifestMainClass(jar) : mainClass)
                + " called System.exit, which would end the platform's JVM; the platform refused"
                + " it (a flink_jar main must return after executing its job)");
      }
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
      String mark,
      Instant deadline,
      Hold hold)
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
    hold.program.set(program);
    try {
      PipelineCapture capture = new PipelineCapture();
      long wait = Math.max(1, Duration.between(Instant.now(), deadline).toMillis());
      if (!hold.acquire(wait, program.getMainClassName())) {
        throw new TimeoutException(
            "another jar's main (" + holder + ") still holds Flink's program context");
      }
      FlinkSecurityManager.monitorUserSystemExitForCurrentThread();
      try {
        ClientUtils.executeProgram(capture, c, program, false, true);
      } finally {
        FlinkSecurityManager.unmonitorUserSystemExitForCurrentThread();
        hold.release();
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
      return capture.jobGraph(c, jobName, jobId, mark);
    } finally {
      hold.release();
      hold.closeProgram();
    }
  }
}
