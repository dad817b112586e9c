package io.flinkplatform.engine.alert;

import java.util.List;

/** A page of alerts and the cursor of the next one ({@code null} at the end). */
public record AlertPage(List<AlertRecord> alerts, Long next) {
  public AlertPage {
    alerts = List.copyOf(alerts);
  }
}
