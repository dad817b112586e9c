package io.flinkplatform.engine.internal.worker;

import io.flinkplatform.spi.ExternalRef;
import io.flinkplatform.spi.ExternalTaskType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One external attempt this instance drives between its submission and its end: the local attempt,
 * its task type and context, its log, the reference of its external work, and what the polls saw so
 * far (failures in a row, the last detail shown, whether it released its downstream tasks).
 */
final class ExternalAttempt {
  private static final Logger LOG = LoggerFactory.getLogger(ExternalAttempt.class);
  final LocalAttempt la;
  final ExternalTaskType type;
  final AttemptContext ctx;
  final LogSink log;
  volatile ExternalRef ref;
  int pollFailures;
  String detail = "";
  boolean released;

  ExternalAttempt(LocalAttempt la, ExternalTaskType type, AttemptContext ctx, LogSink log) {
    this.la = la;
    this.type = type;
    this.ctx = ctx;
    this.log = log;
  }

  /**
   * A line of the driver's own in the attempt's log. A write error does not fail the attempt: the
   * log remembers it, and a failure of the attempt is then handed back.
   */
  void note(String line) {
    try {
      log.line(line);
    } catch (RuntimeException e) {
      LOG.debug("a line of the external driver was not logged", e);
    }
  }
}
