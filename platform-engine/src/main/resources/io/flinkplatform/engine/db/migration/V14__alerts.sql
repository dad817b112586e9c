-- Alerts (docs/alerts.md). Channels and rules belong to a workspace; an alert is written in the
-- transaction of the change that raised it (the outbox), with one delivery row per channel that a
-- delivery loop on any instance claims with a lease and an epoch like an attempt, sends, and marks
-- DELIVERED only while its epoch holds. Resumable like V11: CREATE ... IF NOT EXISTS.

CREATE TABLE IF NOT EXISTS t_alert_channel (
  id         BIGINT        NOT NULL AUTO_INCREMENT,
  workspace  VARCHAR(64)   NOT NULL,
  name       VARCHAR(191)  NOT NULL,
  type       VARCHAR(64)   NOT NULL COMMENT 'an AlertChannel type: webhook, email, feishu, ...',
  options    MEDIUMTEXT    NOT NULL COMMENT 'JSON object; secret options sealed with the key ring',
  updated_by VARCHAR(191)  NOT NULL,
  updated_at BIGINT        NOT NULL COMMENT 'epoch milliseconds',
  PRIMARY KEY (id),
  UNIQUE KEY uk_alert_channel (workspace, name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 ROW_FORMAT = DYNAMIC;

CREATE TABLE IF NOT EXISTS t_alert_rule (
  id         BIGINT        NOT NULL AUTO_INCREMENT,
  workspace  VARCHAR(64)   NOT NULL,
  name       VARCHAR(191)  NOT NULL,
  kind       VARCHAR(40)   NOT NULL COMMENT 'AlertKind',
  spec       MEDIUMTEXT    NOT NULL COMMENT 'JSON of the whole AlertRule',
  enabled    TINYINT(1)    NOT NULL DEFAULT 1,
  updated_by VARCHAR(191)  NOT NULL,
  updated_at BIGINT        NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_alert_rule (workspace, name),
  KEY idx_alert_rule_kind (kind, enabled)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 ROW_FORMAT = DYNAMIC;

CREATE TABLE IF NOT EXISTS t_alert_silence (
  id         BIGINT        NOT NULL AUTO_INCREMENT,
  workspace  VARCHAR(64)   NOT NULL,
  rule_name  VARCHAR(191)  NULL COMMENT 'NULL: every rule of the workspace',
  workflow   VARCHAR(191)  NULL COMMENT 'a name pattern (* = anything); NULL: every workflow',
  ends_at    BIGINT        NOT NULL,
  reason     VARCHAR(1000) NOT NULL,
  created_by VARCHAR(191)  NOT NULL,
  created_at BIGINT        NOT NULL,
  ended_by   VARCHAR(191)  NULL,
  PRIMARY KEY (id),
  KEY idx_alert_silence_ws (workspace, ends_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- One row per raised alert. (rule_id, dedup_key) is unique: the same occurrence (a run's failure,
-- a run past a deadline on a date, a Flink job's restart n) raises once however many instances or
-- retried transactions see it.
CREATE TABLE IF NOT EXISTS t_alert (
  id              BIGINT        NOT NULL AUTO_INCREMENT,
  workspace       VARCHAR(64)   NOT NULL,
  rule_id         BIGINT        NOT NULL,
  rule_name       VARCHAR(191)  NOT NULL,
  kind            VARCHAR(40)   NOT NULL,
  severity        VARCHAR(16)   NOT NULL,
  dedup_key       VARCHAR(191)  NOT NULL COMMENT 'what makes the occurrence one',
  group_key       VARCHAR(191)  NOT NULL COMMENT 'the rate limit''s group: usually the workflow',
  idempotency_key VARCHAR(100)  NOT NULL COMMENT 'sent with every delivery of it',
  title           VARCHAR(500)  NOT NULL,
  text            MEDIUMTEXT    NOT NULL,
  link            VARCHAR(1000) NULL,
  facts           MEDIUMTEXT    NOT NULL COMMENT 'JSON object of strings',
  workflow        VARCHAR(191)  NULL,
  run_id          BIGINT        NULL,
  item_count      INT           NOT NULL DEFAULT 1 COMMENT '> 1: a digest of that many alerts',
  raised_at       BIGINT        NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_alert_dedup (rule_id, dedup_key),
  KEY idx_alert_ws (workspace, id),
  KEY idx_alert_ws_raised (workspace, raised_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 ROW_FORMAT = DYNAMIC;

-- The outbox: one row per (alert, channel), claimed like an attempt.
CREATE TABLE IF NOT EXISTS t_alert_delivery (
  id           BIGINT        NOT NULL AUTO_INCREMENT,
  alert_id     BIGINT        NOT NULL,
  workspace    VARCHAR(64)   NOT NULL,
  channel_name VARCHAR(191)  NOT NULL,
  state        VARCHAR(16)   NOT NULL COMMENT 'DeliveryState',
  attempts     INT           NOT NULL DEFAULT 0,
  next_at      BIGINT        NOT NULL COMMENT 'due time for PENDING and HELD',
  owner        VARCHAR(191)  NULL COMMENT 'the instance that holds the claim',
  epoch        BIGINT        NOT NULL DEFAULT 0 COMMENT 'raised by every claim: fences late marks',
  lease_until  BIGINT        NULL,
  delivered_at BIGINT        NULL,
  last_error   VARCHAR(2000) NULL,
  digest_id    BIGINT        NULL COMMENT 'the digest alert that summed this one up',
  PRIMARY KEY (id),
  UNIQUE KEY uk_alert_delivery (alert_id, channel_name),
  KEY idx_alert_delivery_due (state, next_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 ROW_FORMAT = DYNAMIC;

CREATE TABLE IF NOT EXISTS t_alert_attempt (
  id          BIGINT        NOT NULL AUTO_INCREMENT,
  delivery_id BIGINT        NOT NULL,
  attempt     INT           NOT NULL,
  owner       VARCHAR(191)  NOT NULL,
  epoch       BIGINT        NOT NULL,
  started_at  BIGINT        NOT NULL,
  ended_at    BIGINT        NULL,
  error       VARCHAR(2000) NULL,
  PRIMARY KEY (id),
  KEY idx_alert_attempt_delivery (delivery_id, attempt)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- A rule's rate-limit window per group: while window_end is ahead, new alerts of the group are
-- HELD and sent as one digest when it ends. Locked FOR UPDATE by the claim that decides.
CREATE TABLE IF NOT EXISTS t_alert_window (
  rule_id    BIGINT        NOT NULL,
  group_key  VARCHAR(191)  NOT NULL,
  window_end BIGINT        NOT NULL,
  PRIMARY KEY (rule_id, group_key)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 ROW_FORMAT = DYNAMIC;
