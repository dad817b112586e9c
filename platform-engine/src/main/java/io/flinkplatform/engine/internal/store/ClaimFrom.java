package io.flinkplatform.engine.internal.store;

/**
 * Where a claim's scan of the claim index may start: after the attempt of {@code negPriority} and
 * {@code afterId} that ended the previous full claim, instead of at the index's front.
 *
 * <p>A claim marks what it takes RUNNING, which leaves delete-marked entries at the front of the
 * index's READY range until the server purges them, and a locking read walks every one of them: in
 * a drain of a long backlog the scan from the front cost several times the claim itself. Starting
 * behind the last claimed entry skips them. Such a scan finds the same priority's newer attempts
 * and every lower priority, not a higher priority or an older attempt of the same priority that
 * became ready after the cursor passed it (a downstream task, a hand-back); the dispatcher scans
 * from the front again often enough to bound that wait (see {@code ClaimCursor}).
 */
public record ClaimFrom(int negPriority, long afterId) {}
