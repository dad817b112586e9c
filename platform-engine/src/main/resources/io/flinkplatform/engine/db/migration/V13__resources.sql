-- Resources (docs/resources.md): files uploaded once (jars, UDF jars, scripts), owned by a
-- workspace, versioned, kept in the resource store (a BlobStore) under blob_key; tasks name them
-- resource:name or resource:name@version. A row is written only after its blob was stored, in the
-- transaction of its audit row.
--
-- Resumable like V11: CREATE ... IF NOT EXISTS does nothing the second time.
-- The unique key is (64 + 191) * 4 + 4 bytes in utf8mb4: DYNAMIC allows it whatever the server's
-- default row format.
CREATE TABLE IF NOT EXISTS t_resource (
  id         BIGINT        NOT NULL AUTO_INCREMENT,
  workspace  VARCHAR(64)   NOT NULL,
  name       VARCHAR(191)  NOT NULL,
  version    INT           NOT NULL COMMENT '1, 2, ... per (workspace, name)',
  sha256     CHAR(64)      NOT NULL COMMENT 'hex SHA-256 of the content',
  size       BIGINT        NOT NULL COMMENT 'bytes',
  blob_key   VARCHAR(512)  NOT NULL COMMENT 'the content''s key in the resource store',
  created_by VARCHAR(191)  NOT NULL,
  created_at BIGINT        NOT NULL COMMENT 'epoch milliseconds',
  PRIMARY KEY (id),
  UNIQUE KEY uk_resource_version (workspace, name, version)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 ROW_FORMAT = DYNAMIC;
