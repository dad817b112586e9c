-- idx_job_run_owner (owner, state) served two rare reads (an instance's attempts of a run being
-- killed, once a heartbeat; its attempts of one claim whose commit looked failed), yet every claim
-- and every attempt end rewrote its entry: a tenth of the server's work per execution. Those reads
-- now start from the runs being killed (idx_flow_run_state) and from the RUNNING attempts
-- (idx_job_run_lease). Dropping an index is a metadata change: reads and writes go on.
ALTER TABLE t_job_run DROP KEY idx_job_run_owner;
