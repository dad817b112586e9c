-- Flink jobs by state (issue 16, the meter flinkplatform.flink.jobs): the plugin counts the
-- submissions that have not ended, by state, every few seconds. Open rows have ended_at NULL, which
-- sorts first: the count reads only them, from this index, never the ended history.
ALTER TABLE t_flink_job
  ADD KEY idx_flink_job_open (ended_at, state);
