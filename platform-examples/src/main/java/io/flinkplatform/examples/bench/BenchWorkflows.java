package io.flinkplatform.examples.bench;

import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.TriggerRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** The workflows the benchmark runs, and how it triggers many runs at once. */
public final class BenchWorkflows {
  private BenchWorkflows() {}

  /** A workflow of one {@code noop} task. */
  public static Workflow single(String name) {
    return Workflow.builder(name).task("only", NoopPlugin.TYPE).build();
  }

  /**
   * {@code root}, then {@code chains} parallel chains sharing the other {@code tasks - 2} tasks as
   * evenly as possible, then {@code sink} after the last task of every chain. With {@code chains =
   * tasks - 2} every chain is one task: a wide fan-out and fan-in.
   */
  public static Workflow chains(String name, int tasks, int chains) {
    int middle = tasks - 2;
    int n = Math.min(chains, middle);
    Workflow.Builder b = Workflow.builder(name).task("root", NoopPlugin.TYPE);
    String[] tails = new String[n];
    for (int c = 0; c < n; c++) {
      int length = middle / n + (c < middle % n ? 1 : 0);
      String previous = "root";
      for (int i = 0; i < length; i++) {
        String id = "c" + c + "_" + i;
        String upstream = previous;
        b.task(id, NoopPlugin.TYPE, t -> t.after(upstream));
        previous = id;
      }
      tails[c] = previous;
    }
    return b.task("sink", NoopPlugin.TYPE, t -> t.after(tails)).build();
  }

  /**
   * Triggers {@code runs} runs of {@code workflow} from {@code threads} threads, {@code batch} runs
   * per transaction; returns when all are.
   */
  static void triggerInParallel(
      PlatformClient client, String workflow, int runs, int threads, int batch)
      throws InterruptedException, ExecutionException {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int share = runs / threads + (t < runs % threads ? 1 : 0);
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < share; i += batch) {
                    int n = Math.min(batch, share - i);
                    if (n == 1) {
                      client.trigger(workflow);
                    } else {
                      client.triggerAll(Collections.nCopies(n, TriggerRequest.of(workflow)));
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
