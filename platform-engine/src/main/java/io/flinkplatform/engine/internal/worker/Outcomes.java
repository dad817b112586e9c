package io.flinkplatform.engine.internal.worker;

import com.google.common.base.Utf8;
import io.flinkplatform.engine.internal.claim.Claim;
import io.flinkplatform.engine.internal.common.Json;
import io.flinkplatform.engine.internal.common.Texts;
import io.flinkplatform.engine.internal.progress.Result;
import io.flinkplatform.engine.internal.worker.CancelSignal.Cause;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.spi.TaskFailedException;
import io.flinkplatform.spi.TaskOutcome;
import java.time.Duration;
import java.util.Map;

/**
 * Turns what a task returned or threw into the {@link Result} the completer records: a kill or
 * timeout wins over the task's own outcome, outputs too large for their column fail the attempt,
 * and a long message is cut (the log has everything).
 */
public final class Outcomes {
  /** Longest message stored with an attempt; longer ones are cut (the log has everything). */
  public static final int MAX_MESSAGE = Result.MAX_MESSAGE;

  /**
   * Largest outputs of one attempt, in characters of their JSON; they travel through the database
   * to downstream.
   */
  static final int MAX_OUTPUTS = 60_000;

  /**
   * Largest outputs of one attempt in bytes of UTF-8 JSON: the column ({@code TEXT}) holds 65,535
   * bytes, so 60,000 characters outside ASCII could pass {@link #MAX_OUTPUTS} and then fail to be
   * stored.
   */
  static final int MAX_OUTPUT_BYTES = 65_000;

  private Outcomes() {}

  /** The result of a task's outcome, given how the attempt was cancelled (if it was). */
  static Result toResult(Claim claim, TaskOutcome outcome, CancelSignal cancel, LogSink log) {
    Cause cause = cancel.cause();
    if (cause == Cause.KILL) {
      return result(claim, TaskState.KILLED, false, Map.of(), cancel.reason(), log);
    }
    if (cause == Cause.TIMEOUT && !(outcome instanceof TaskOutcome.Success)) {
      return result(claim, TaskState.FAILED, true, Map.of(), cancel.reason(), log);
    }
    if (outcome instanceof TaskOutcome.Success s) {
      Result r = result(claim, TaskState.SUCCESS, false, s.outputs(), null, log);
      return s.branches().isEmpty() || r.state() != TaskState.SUCCESS
          ? r
          : r.withChoice(s.branches().get());
    }
    if (outcome instanceof TaskOutcome.Failure f) {
      return result(claim, TaskState.FAILED, f.retryable(), Map.of(), f.message(), log);
    }
    return result(
        claim, TaskState.SKIPPED, false, Map.of(), ((TaskOutcome.Skipped) outcome).reason(), log);
  }

  /** A result with the size caps applied: outputs too large fail it, a long message is cut. */
  static Result result(
      Claim claim,
      TaskState state,
      boolean retryable,
      Map<String, String> outputs,
      String message,
      LogSink log) {
    String pointer = log == null ? null : log.pointer();
    String json = outputs.isEmpty() ? null : Json.write(outputs);
    if (json != null && json.length() > MAX_OUTPUTS) {
      return new Result(
          claim,
          TaskState.FAILED,
          false,
          null,
          "the task's outputs take "
              + json.length()
              + " characters as JSON; at most "
              + MAX_OUTPUTS
              + " are allowed",
          pointer);
    }
    int bytes = json == null ? 0 : Utf8.encodedLength(json);
    if (bytes > MAX_OUTPUT_BYTES) {
      return new Result(
          claim,
          TaskState.FAILED,
          false,
          null,
          "the task's outputs take "
              + bytes
              + " bytes as UTF-8 JSON; at most "
              + MAX_OUTPUT_BYTES
              + " are allowed",
          pointer);
    }
    if (message != null && message.length() > MAX_MESSAGE) {
      message = Texts.prefix(message, MAX_MESSAGE - 20) + " ... (cut; see the log)";
    }
    return new Result(claim, state, retryable, json, message, pointer);
  }

  /**
   * The outcome of a task that threw: its own failure for a {@link TaskFailedException}, else a
   * retryable failure naming the exception.
   */
  static TaskOutcome failureOf(Throwable t) {
    return t instanceof TaskFailedException f ? f.outcome() : TaskOutcome.failure(describe(t));
  }

  /** An exception as an attempt's message: its simple class name and message. */
  static String describe(Throwable t) {
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  /** A timeout or grace period as a message shows it. */
  static String describe(Duration d) {
    return d.toMillis() < 1000 ? d.toMillis() + "ms" : d.toSeconds() + "s";
  }
}
