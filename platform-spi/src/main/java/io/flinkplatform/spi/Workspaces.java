package io.flinkplatform.spi;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Workspace names and references across workspaces. Everything a team defines belongs to one
 * workspace; a definition names things of its own workspace by their plain name ({@code dw}) and
 * things another workspace granted it as {@code workspace/name} ({@code finance/dw}).
 */
public final class Workspaces {
  /** The workspace of a platform nobody divided, and of everything made before workspaces. */
  public static final String DEFAULT = "default";

  /** What a workspace name may be: a lower-case letter, then letters, digits, _ or -; 1 to 64. */
  public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,63}");

  private Workspaces() {}

  /** Why {@code name} cannot be a workspace name; empty if it can. */
  public static Optional<String> problem(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      return Optional.of(
          "workspace name '"
              + (name == null ? "null" : name.length() > 70 ? name.substring(0, 70) + "..." : name)
              + "' is not allowed: use a lower-case letter, then lower-case letters, digits, _ or -"
              + " (at most 64)");
    }
    return Optional.empty();
  }

  /**
   * Reads a reference made in workspace {@code from}: {@code name} names a thing of {@code from},
   * {@code other/name} a thing of workspace {@code other}.
   *
   * @throws IllegalArgumentException if the part before the slash is not a workspace name or the
   *     part after it is empty
   */
  public static Ref resolve(String from, String reference) {
    requireNonNull(from, "from is null");
    requireNonNull(reference, "reference is null");
    int slash = reference.indexOf('/');
    if (slash < 0) {
      return new Ref(from, reference);
    }
    String workspace = reference.substring(0, slash);
    String name = reference.substring(slash + 1);
    Optional<String> bad = problem(workspace);
    if (bad.isPresent() || name.isEmpty() || name.indexOf('/') >= 0) {
      throw new IllegalArgumentException(
          "reference '"
              + reference
              + "' is not allowed: write name (this workspace) or workspace/name"
              + bad.map(b -> " (" + b + ")").orElse(""));
    }
    return new Ref(workspace, name);
  }

  /**
   * A thing of a workspace.
   *
   * @param workspace the workspace that owns it
   * @param name its name there
   */
  public record Ref(String workspace, String name) {
    public Ref {
      requireNonNull(workspace, "workspace is null");
      requireNonNull(name, "name is null");
    }

    /** Whether it belongs to {@code workspace}. */
    public boolean isIn(String workspace) {
      return this.workspace.equals(workspace);
    }

    /** {@code workspace/name}: the form that names it from any workspace. */
    public String qualified() {
      return workspace + "/" + name;
    }

    @Override
    public String toString() {
      return qualified();
    }
  }
}
