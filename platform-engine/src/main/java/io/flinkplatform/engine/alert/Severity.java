package io.flinkplatform.engine.alert;

/** How urgent an alert is; channels show it (colour, title prefix). */
public enum Severity {
  INFO,
  WARNING,
  CRITICAL
}
