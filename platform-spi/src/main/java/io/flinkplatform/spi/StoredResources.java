package io.flinkplatform.spi;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Files uploaded once to the platform's resource store (jars, UDF jars, scripts), owned by a
 * workspace and versioned, that tasks name with a reference ({@link PluginContext#resources()}):
 *
 * <ul>
 *   <li>{@code resource:udfs.jar}: the latest version of {@code udfs.jar} of the task's workspace;
 *   <li>{@code resource:udfs.jar@3}: its version 3;
 *   <li>{@code resource:team/udfs.jar}: the resource of workspace {@code team}, which must have
 *       granted it ({@link #GRANT_KIND}) to the task's workspace.
 * </ul>
 *
 * <p>A plugin checks its references when a workflow is deployed ({@link #problem}) and turns them
 * into local files when a task runs ({@link #stage}).
 */
public interface StoredResources {
  /** The prefix of a reference: {@code resource:}. */
  String PREFIX = "resource:";

  /** The grant kind that lets another workspace use a resource ({@code PlatformClient.grant}). */
  String GRANT_KIND = "resource";

  /**
   * What a resource name may be: a letter or digit, then letters, digits, {@code .}, {@code _} or
   * {@code -}; at most 191 characters.
   */
  Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,190}");

  /** A reference as it appears inside a longer text, e.g. an {@code ADD JAR} statement. */
  Pattern IN_TEXT =
      Pattern.compile(
          "resource:((?:[a-z][a-z0-9_-]{0,63}/)?[A-Za-z0-9][A-Za-z0-9._-]{0,190})(?:@([0-9]{1,9}))?");

  /** Whether {@code text} is a reference (starts with {@link #PREFIX}). */
  static boolean isReference(String text) {
    return text != null && text.startsWith(PREFIX);
  }

  /**
   * Reads a reference made in workspace {@code from}.
   *
   * @throws IllegalArgumentException naming the rule if it is not {@code resource:[workspace/]name}
   *     with an optional {@code @version} (a positive number)
   */
  static Reference parse(String from, String reference) {
    requireNonNull(from, "from is null");
    requireNonNull(reference, "reference is null");
    Matcher m = IN_TEXT.matcher(reference);
    if (!m.matches()) {
      String shown = reference.length() > 250 ? reference.substring(0, 250) + "..." : reference;
      throw new IllegalArgumentException(
          "'"
              + shown
              + "' is not a resource reference: write resource:name, resource:name@version or"
              + " resource:workspace/name[@version]; a name is a letter or digit, then letters,"
              + " digits, . _ or - (at most 191)");
    }
    OptionalInt version =
        m.group(2) == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(m.group(2)));
    if (version.isPresent() && version.getAsInt() < 1) {
      throw new IllegalArgumentException(
          "'" + reference + "' is not a resource reference: versions start at 1");
    }
    return new Reference(Workspaces.resolve(from, m.group(1)), version);
  }

  /**
   * Every reference inside {@code text} (an option's value, an SQL script), in order; those that do
   * not follow the rule are not found.
   */
  static List<Reference> findIn(String from, String text) {
    List<Reference> found = new ArrayList<>();
    Matcher m = IN_TEXT.matcher(text);
    while (m.find()) {
      try {
        found.add(parse(from, m.group()));
      } catch (IllegalArgumentException e) {
        // not a reference after all (e.g. version 0): the plugin's own check reports it
      }
    }
    return found;
  }

  /**
   * A resource named by a task.
   *
   * @param resource the workspace that owns it and its name there
   * @param version the version asked for; empty for the latest
   */
  record Reference(Workspaces.Ref resource, OptionalInt version) {
    public Reference {
      requireNonNull(resource, "resource is null");
      requireNonNull(version, "version is null");
    }

    /** The reference as a task of {@code workspace} writes it. */
    public String text(String workspace) {
      return PREFIX
          + (resource.isIn(workspace) ? resource.name() : resource.qualified())
          + (version.isPresent() ? "@" + version.getAsInt() : "");
    }
  }

  /**
   * Why a task of {@code workspace} cannot use {@code reference}, as one sentence, or empty if it
   * can: the reference is malformed, the resource (or that version) does not exist, or it belongs
   * to a workspace that has not granted it.
   */
  Optional<String> problem(String workspace, String reference);

  /**
   * The content of {@code reference} as a local file, for a task of {@code workspace}: staged once
   * from the resource store into a local cache keyed by its SHA-256 and checked against it, then
   * shared by every task that names that content; the file keeps the resource's name. Treat the
   * file as read-only: copy it to change it.
   *
   * @throws IllegalArgumentException if the reference is malformed, or the resource (or that
   *     version) does not exist
   * @throws AccessDeniedException if the resource belongs to a workspace that has not granted it
   * @throws IOException if the store cannot be read or the content does not match its checksum
   */
  Path stage(String workspace, String reference) throws IOException;
}
