package io.flinkplatform.engine.run;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.InvalidRequestException;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A page of a workspace's runs, newest (highest id) first, for {@code PlatformClient.runs(query)}:
 * every filter given must match. Start with {@link #latest(int)} and add filters; read the next
 * page with {@link #before(long)} and the page's {@link RunPage#nextBeforeId()}.
 *
 * @param workflow only runs of this workflow
 * @param states only runs in one of these states; empty for every state
 * @param logicalFrom only runs whose logical date is at or after this time
 * @param logicalTo only runs whose logical date is before this time
 * @param triggeredBy only runs started by this actor name ({@code system}, a user, {@code
 *     schedule:NAME}, ...)
 * @param createdFrom only runs triggered at or after this time
 * @param createdTo only runs triggered before this time
 * @param beforeId only runs with an id below this one: the cursor of the next page
 * @param limit at most this many runs, 1 to {@value #MAX_LIMIT}
 */
public record RunQuery(
    Optional<String> workflow,
    Set<RunState> states,
    Optional<Instant> logicalFrom,
    Optional<Instant> logicalTo,
    Optional<String> triggeredBy,
    Optional<Instant> createdFrom,
    Optional<Instant> createdTo,
    Optional<Long> beforeId,
    int limit) {
  /** The largest page. */
  public static final int MAX_LIMIT = 500;

  /**
   * @throws InvalidRequestException naming {@code limit} when it is not 1 to {@value #MAX_LIMIT},
   *     {@code logicalTo} or {@code createdTo} when a range ends before it starts
   */
  public RunQuery {
    requireNonNull(workflow, "workflow is null");
    states = Set.copyOf(requireNonNull(states, "states is null"));
    requireNonNull(logicalFrom, "logicalFrom is null");
    requireNonNull(logicalTo, "logicalTo is null");
    requireNonNull(triggeredBy, "triggeredBy is null");
    requireNonNull(createdFrom, "createdFrom is null");
    requireNonNull(createdTo, "createdTo is null");
    requireNonNull(beforeId, "beforeId is null");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidRequestException(
          "limit", "must be between 1 and " + MAX_LIMIT + ", was " + limit);
    }
    checkRange("logicalTo", logicalFrom, logicalTo);
    checkRange("createdTo", createdFrom, createdTo);
  }

  private static void checkRange(String field, Optional<Instant> from, Optional<Instant> to) {
    if (from.isPresent() && to.isPresent() && to.get().isBefore(from.get())) {
      throw new InvalidRequestException(
          field, "must not be before the range's start " + from.get() + ", was " + to.get());
    }
  }

  /** The newest {@code limit} runs of the workspace. */
  public static RunQuery latest(int limit) {
    return new RunQuery(
        Optional.empty(),
        Set.of(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        limit);
  }

  /** Only runs of {@code name}. */
  public RunQuery workflow(String name) {
    return new RunQuery(
        Optional.of(requireNonNull(name, "name is null")),
        states,
        logicalFrom,
        logicalTo,
        triggeredBy,
        createdFrom,
        createdTo,
        beforeId,
        limit);
  }

  /** Only runs in one of {@code states}. */
  public RunQuery states(RunState... states) {
    return new RunQuery(
        workflow,
        Set.of(states),
        logicalFrom,
        logicalTo,
        triggeredBy,
        createdFrom,
        createdTo,
        beforeId,
        limit);
  }

  /** Only runs whose logical date is in {@code [from, to)}. */
  public RunQuery logicalDates(Instant from, Instant to) {
    return new RunQuery(
        workflow,
        states,
        Optional.of(requireNonNull(from, "from is null")),
        Optional.of(requireNonNull(to, "to is null")),
        triggeredBy,
        createdFrom,
        createdTo,
        beforeId,
        limit);
  }

  /** Only runs started by {@code actor}. */
  public RunQuery triggeredBy(String actor) {
    return new RunQuery(
        workflow,
        states,
        logicalFrom,
        logicalTo,
        Optional.of(requireNonNull(actor, "actor is null")),
        createdFrom,
        createdTo,
        beforeId,
        limit);
  }

  /** Only runs triggered in {@code [from, to)}. */
  public RunQuery created(Instant from, Instant to) {
    return new RunQuery(
        workflow,
        states,
        logicalFrom,
        logicalTo,
        triggeredBy,
        Optional.of(requireNonNull(from, "from is null")),
        Optional.of(requireNonNull(to, "to is null")),
        beforeId,
        limit);
  }

  /** The page after the one whose {@link RunPage#nextBeforeId()} was {@code id}. */
  public RunQuery before(long id) {
    return new RunQuery(
        workflow,
        states,
        logicalFrom,
        logicalTo,
        triggeredBy,
        createdFrom,
        createdTo,
        Optional.of(id),
        limit);
  }
}
