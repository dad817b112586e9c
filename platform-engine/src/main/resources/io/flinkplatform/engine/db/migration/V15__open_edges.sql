-- Fan-in counters: on a WAITING attempt, how many of its incoming edges have not resolved yet, so
-- that an arriving outcome decides its downstream task without reading every upstream task. NULL
-- means unknown (rows written before this version, and WAITING attempts a rerun or a mark left):
-- the next arrival then reads the task's upstream and decides it in full, as before, and stores
-- the exact count if the task still waits.
-- A t_job_run made by a server whose default row format was COMPACT is at that format's row size
-- limit (its VARCHAR columns count in full), so it takes no new column: DYNAMIC has room (as
-- t_pool in V11). Naming the row format may rebuild the table, online (reads and writes go on).
ALTER TABLE t_job_run
  ROW_FORMAT = DYNAMIC,
  ADD COLUMN /*M! IF NOT EXISTS */ open_edges INT NULL;
