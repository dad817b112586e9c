package io.flinkplatform.engine.internal.common;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;

/**
 * The local events one component raises and another's loop waits for: work became ready, a run
 * closed, a schedule changed, a run is being killed, external work has a poll waiting. Created
 * first and handed to every component, so that nothing holds a reference to a component built after
 * it; the loops register what wakes them ({@code on...}) once they are built, before any thread
 * starts. A signal without a listener does nothing (the loops poll anyway).
 */
public final class Signals {
  private final List<LongConsumer> workReady = new CopyOnWriteArrayList<>();
  private final List<Runnable> slotFreed = new CopyOnWriteArrayList<>();
  private final List<Runnable> runClosed = new CopyOnWriteArrayList<>();
  private final List<Runnable> scheduleChanged = new CopyOnWriteArrayList<>();
  private final List<LongConsumer> runKilled = new CopyOnWriteArrayList<>();
  private final List<Runnable> pollDue = new CopyOnWriteArrayList<>();
  // alerts: delivery
  private final List<Runnable> alertsDue = new CopyOnWriteArrayList<>();
  // --- alerts (raising): rules changed, the database came back
  private final List<Runnable> alertRulesChanged = new CopyOnWriteArrayList<>();
  private final List<DatabaseBack> databaseBack = new CopyOnWriteArrayList<>();

  /** Hears that a loop reached the database again after an outage. */
  @FunctionalInterface
  public interface DatabaseBack {
    /**
     * {@code loop} could not reach the database from {@code since} until {@code until} (epoch
     * millis, this instance's clock).
     */
    void back(String loop, long since, long until);
  }

  /** Attempts became ready here, now or at {@code at} (epoch millis; 0 for now). */
  public void workReady(long at) {
    workReady.forEach(l -> l.accept(at));
  }

  /** A worker slot freed up: the dispatcher may claim again (nothing new became ready). */
  public void slotFreed() {
    slotFreed.forEach(Runnable::run);
  }

  /** A run reached a final state here (waiters and admission look again). */
  public void runClosed() {
    runClosed.forEach(Runnable::run);
  }

  /**
   * A schedule, backfill or run limit changed, or a run is held: firing and admission look again.
   */
  public void scheduleChanged() {
    scheduleChanged.forEach(Runnable::run);
  }

  /** A run was set KILLING: its attempts on this instance are cancelled. */
  public void runKilled(long runId) {
    runKilled.forEach(l -> l.accept(runId));
  }

  /** External work has a new poll waiting: the poller looks at its due time. */
  public void pollDue() {
    pollDue.forEach(Runnable::run);
  }

  // alerts: delivery
  /**
   * Alerts may be due for delivery: an alert was committed here, or a send ended and freed a slot.
   * The delivery loop looks at once instead of at its next poll.
   */
  public void alertsDue() {
    alertsDue.forEach(Runnable::run);
  }

  public void onAlertsDue(Runnable listener) {
    alertsDue.add(listener);
  }

  /** An alert rule was saved or deleted here: the raiser reads the rules again. */
  public void alertRulesChanged() {
    alertRulesChanged.forEach(Runnable::run);
  }

  /** A loop reached the database again after failing to from {@code since} to {@code until}. */
  public void databaseBack(String loop, long since, long until) {
    databaseBack.forEach(l -> l.back(loop, since, until));
  }

  public void onAlertRulesChanged(Runnable listener) {
    alertRulesChanged.add(listener);
  }

  public void onDatabaseBack(DatabaseBack listener) {
    databaseBack.add(listener);
  }

  public void onWorkReady(LongConsumer listener) {
    workReady.add(listener);
  }

  public void onSlotFreed(Runnable listener) {
    slotFreed.add(listener);
  }

  public void onRunClosed(Runnable listener) {
    runClosed.add(listener);
  }

  public void onScheduleChanged(Runnable listener) {
    scheduleChanged.add(listener);
  }

  public void onRunKilled(LongConsumer listener) {
    runKilled.add(listener);
  }

  public void onPollDue(Runnable listener) {
    pollDue.add(listener);
  }
}
