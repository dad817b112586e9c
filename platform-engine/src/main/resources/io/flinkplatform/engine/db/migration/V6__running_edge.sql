-- RUNNING edges: an attempt whose external work is up (a streaming job) may release the tasks
-- behind its RUNNING edges while it keeps running; this records when it did.
ALTER TABLE t_job_run ADD COLUMN released_at BIGINT NULL;
