-- The installation: one row whose random id tells this platform database apart from any other,
-- also from one of the same name that was dropped and created again. The engine writes the id
-- (a random UUID from the JVM's SecureRandom) the first time it is asked for it; plugins read it
-- through PluginContext.installationId(), e.g. to derive Flink job ids that no other platform
-- sharing a cluster can produce.

CREATE TABLE t_installation (
  id              TINYINT     NOT NULL COMMENT 'always 1: one row per database',
  installation_id VARCHAR(36) NOT NULL,
  created_at      BIGINT      NOT NULL,
  PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
