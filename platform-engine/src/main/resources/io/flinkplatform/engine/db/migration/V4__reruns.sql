-- Reruns: an attempt created by a rerun (or a manual mark) records how many attempts of its task
-- came before the rerun, so that its retries count from there and the task gets its full retry
-- budget again. Older attempts keep 0.

ALTER TABLE t_job_run
  ADD COLUMN rerun_base INT NOT NULL DEFAULT 0 COMMENT 'attempts of the task before the rerun that started this series';
