-- Datasources belong to a workspace (issue 14): names are unique per workspace, and every
-- datasource made before workspaces lands in the default one. Changes are recorded in the
-- platform's audit trail (t_audit, written in the transaction of the change); the row keeps who
-- changed it last.
ALTER TABLE t_datasource
  ADD COLUMN workspace  VARCHAR(64)  NOT NULL DEFAULT 'default' COMMENT 'the workspace it belongs to' AFTER id,
  ADD COLUMN updated_by VARCHAR(191) NOT NULL DEFAULT 'system' COMMENT 'the actor that changed it last';

ALTER TABLE t_datasource
  DROP INDEX uk_datasource_name,
  ADD UNIQUE KEY uk_datasource_workspace_name (workspace, name);
