-- A schedule row an instance cannot read (a zone id its JDK does not know, a truncated cron, a
-- manual edit) is set aside instead of stopping the others: why, and when any instance may try it
-- again. Its next_fire_at (the nominal fire time) is kept, so an instance that can read the row
-- fires it as it would any late fire time.
ALTER TABLE t_schedule
  ADD COLUMN quarantine       VARCHAR(1024) NULL COMMENT 'why the last instance that tried could not fire it',
  ADD COLUMN quarantined_until BIGINT       NULL COMMENT 'no instance tries it again before this time',
  ADD KEY idx_schedule_quarantine (quarantined_until);
