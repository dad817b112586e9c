package io.flinkplatform.engine;

/** What the platform does with its database schema when it starts. */
public enum SchemaMode {
  /** Applies pending migrations (the default). */
  MIGRATE,
  /** Only checks that every migration was applied; for hosts that migrate the schema themselves. */
  VALIDATE,
  /** Does nothing. */
  NONE
}
