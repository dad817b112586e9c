package io.flinkplatform.engine;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A resource cannot be deleted: deployed workflow versions name it. Nothing was deleted. Deploy
 * versions of those workflows that no longer name it, or delete the workflows, first.
 */
public final class ResourceInUseException extends PlatformException {
  private static final long serialVersionUID = 1L;
  private static final int SHOWN = 20;
  private final String resource;
  private final List<String> references;

  /**
   * @param resource the resource's name
   * @param references what names it, each as {@code [workspace/]workflow vN task t}
   */
  public ResourceInUseException(String resource, List<String> references) {
    super(message(requireNonNull(resource, "resource is null"), references));
    this.resource = resource;
    this.references = List.copyOf(references);
  }

  private static String message(String resource, List<String> references) {
    String shown = String.join(", ", references.subList(0, Math.min(SHOWN, references.size())));
    return "resource '"
        + resource
        + "' is still referenced by "
        + references.size()
        + " deployed task(s): "
        + shown
        + (references.size() > SHOWN ? ", ..." : "");
  }

  /** The resource's name. */
  public String resource() {
    return resource;
  }

  /** Every task that names it, as {@code [workspace/]workflow vN task t}, in order. */
  public List<String> references() {
    return references;
  }
}
