package io.flinkplatform.spi;

/**
 * Implemented by a plugin's exception whose message is safe to show to a console caller (it names
 * no secret), so that an {@link ApiOperation} failing with it answers {@link #status()} with the
 * exception's simple name, message and public accessors as JSON, instead of a bare 500. An
 * exception whose simple name ends in {@code NotFoundException} answers 404 whatever it returns.
 */
public interface ApiFailure {
  /** The HTTP status to answer: 409 (the request conflicts with what is stored) by default. */
  default int status() {
    return 409;
  }
}
