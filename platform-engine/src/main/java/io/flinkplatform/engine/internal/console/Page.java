package io.flinkplatform.engine.internal.console;

/**
 * One page or fragment of the console. Returns the HTML to send: a whole page (made with {@link
 * Layout#page}) or, for htmx updates, a fragment.
 */
@FunctionalInterface
public interface Page {
  String render(PageContext c) throws Exception;
}
