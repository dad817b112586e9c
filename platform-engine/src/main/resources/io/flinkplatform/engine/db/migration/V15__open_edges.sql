-- Fan-in counters: on a WAITING attempt, how many of its incoming edges have not resolved yet, so
-- that an arriving outcome decides its downstream task without reading every upstream task. NULL
-- means unknown (rows written before this version, and WAITING attempts a rerun or a mark left):
-- the next arrival then reads the task's upstream and decides it in full, as before, and stores
-- the exact count if the task still waits.
ALTER TABLE t_job_run ADD COLUMN open_edges INT NULL;
