package io.flinkplatform.engine.internal.worker;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.flinkplatform.engine.internal.claim.Claim;
import io.flinkplatform.engine.internal.store.Store;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores the pointer of an attempt's log once the log exists, so that it can be read while the
 * attempt runs. Off the task's thread: its first line does not wait for the database; and off the
 * worker pool, whose threads may all be busy (abandoned attempts keep theirs), on a thread of its
 * own: behind busy workers a running log would stay unread. The write holds only while the claim
 * does (epoch, RUNNING), so a late one changes nothing; a full queue drops it (the outcome stores
 * the pointer).
 */
final class LogPointers {
  private static final Logger LOG = LoggerFactory.getLogger(LogPointers.class);

  private final Store store;
  private final ThreadPoolExecutor writer;

  LogPointers(Store store, int queue) {
    this.store = store;
    this.writer =
        new ThreadPoolExecutor(
            1,
            1,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(queue),
            new ThreadFactoryBuilder().setNameFormat("fp-log-pointer-%d").setDaemon(true).build());
    this.writer.allowCoreThreadTimeOut(true);
  }

  void store(Claim claim, String pointer) {
    Runnable write =
        () -> {
          try {
            store.run(
                "store the log pointer of " + claim.describe(),
                m -> m.storeLogPath(claim.id(), claim.epoch(), pointer));
          } catch (RuntimeException e) {
            LOG.debug("{}: its log pointer is stored with the outcome", claim.describe(), e);
          }
        };
    try {
      writer.execute(write);
    } catch (RejectedExecutionException stopping) {
      // stopping or full: the outcome (or the next claim) stores the pointer
    }
  }

  void stop() {
    writer.shutdownNow();
  }
}
