-- The state of a run is in the keys of two indexes that only scheduled runs (idx_flow_run_schedule)
-- and backfill runs (idx_flow_run_backfill) are looked up by. Keyed by `state` itself, every start
-- and end of every other run rewrote its (NULL, state) entry in both. Keyed by a generated column
-- that is the state only when the run has a schedule (or a backfill), the entries of the other
-- runs stay (NULL, NULL) and are not rewritten when their state changes.
-- STORED, not VIRTUAL: MariaDB 11.4 answered lookups through an index on the VIRTUAL form wrongly
-- while the runs were being updated (an admission counted fewer active runs than there were).
-- The index names stay, so instances of an earlier release that name idx_flow_run_schedule
-- (FORCE INDEX) go on using it: by its schedule_id prefix, the state checked on the rows.
-- Adding a stored column copies the table: online on MariaDB 11.2+ (reads and writes go on),
-- with writes to runs waiting for the copy on MariaDB 10.x and MySQL 8 (docs/security.md).
ALTER TABLE t_job_flow_run
  ADD COLUMN /*M! IF NOT EXISTS */ schedule_state VARCHAR(16)
    AS (IF(schedule_id IS NULL, NULL, state)) STORED
    COMMENT 'state of a scheduled run, NULL for the others',
  ADD COLUMN /*M! IF NOT EXISTS */ backfill_state VARCHAR(16)
    AS (IF(backfill_id IS NULL, NULL, state)) STORED
    COMMENT 'state of a backfill run, NULL for the others',
  DROP KEY idx_flow_run_schedule,
  ADD KEY idx_flow_run_schedule (schedule_id, schedule_state),
  DROP KEY idx_flow_run_backfill,
  ADD KEY idx_flow_run_backfill (backfill_id, backfill_state);
