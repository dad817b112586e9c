package io.flinkplatform.spi;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rule every parameter name obeys (run, workflow, global, task, sub-workflow, backfill and
 * schedule parameters alike): an identifier of at most {@value #MAX_LENGTH} characters that no
 * shell, dynamic linker, interpreter or runtime gives a meaning of its own.
 *
 * <p>Task types hand parameters to processes as environment variables, so a name such as {@code
 * BASH_ENV}, {@code BASH_FUNC_echo%%} or {@code LD_PRELOAD} would let whoever chooses parameter
 * names run commands. The platform refuses such names wherever they enter (deploy, trigger,
 * schedule and backfill saves, sub-workflow starts); task types check again with {@link
 * #isExportable(String)} before exporting anything, so a name that slipped through another path (a
 * row edited in the database, a host's global parameter) is still never exported.
 *
 * <p>Reserved are the exact names in {@link #RESERVED_NAMES} and every name starting with one of
 * {@link #RESERVED_PREFIXES}. Names are case-sensitive, as environment variables are: {@code path}
 * is an ordinary parameter, {@code PATH} is reserved; the lower-case proxy variables that HTTP
 * clients read ({@code http_proxy}, …) are reserved as well.
 */
public final class ParameterNames {
  /** The longest parameter name accepted. */
  public static final int MAX_LENGTH = 64;

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** Names a shell, the dynamic linker, an interpreter or a runtime reads from the environment. */
  public static final Set<String> RESERVED_NAMES =
      Set.of(
          // shells
          "BASH_ENV",
          "ENV",
          "SHELLOPTS",
          "BASHOPTS",
          "POSIXLY_CORRECT",
          "PS1",
          "PS2",
          "PS3",
          "PS4",
          "IFS",
          "PATH",
          "CDPATH",
          "GLOBIGNORE",
          "PROMPT_COMMAND",
          "HOME",
          "SHELL",
          "TMPDIR",
          "TZ",
          "TZDIR",
          "LANG",
          "LANGUAGE",
          // C library and locale loading
          "GCONV_PATH",
          "LOCPATH",
          "NLSPATH",
          "HOSTALIASES",
          "RESOLV_HOST_CONF",
          "GLIBC_TUNABLES",
          // language runtimes
          "JAVA_HOME",
          "JAVA_TOOL_OPTIONS",
          "_JAVA_OPTIONS",
          "JDK_JAVA_OPTIONS",
          "JAVA_OPTS",
          "CLASSPATH",
          "NODE_OPTIONS",
          "NODE_PATH",
          "RUBYOPT",
          "RUBYLIB",
          "BROWSER",
          "EDITOR",
          "VISUAL",
          "PAGER",
          // network clients
          "http_proxy",
          "https_proxy",
          "ftp_proxy",
          "all_proxy",
          "no_proxy",
          "HTTP_PROXY",
          "HTTPS_PROXY",
          "FTP_PROXY",
          "ALL_PROXY",
          "NO_PROXY");

  /** Prefixes of names with the same effect, and the platform's own variables. */
  public static final List<String> RESERVED_PREFIXES =
      List.of(
          "BASH_",
          "LD_",
          "DYLD_",
          "MALLOC_",
          "LC_",
          "PYTHON",
          "PERL",
          "GIT_",
          "SSH_",
          "KRB5",
          "HADOOP_",
          "YARN_",
          "FLINK_",
          "PLATFORM_",
          "UPSTREAM_");

  private ParameterNames() {}

  /**
   * Why {@code name} cannot be a parameter name, or empty when it can. The reason names the name
   * and the rule, for a typed error at the place the name entered.
   */
  public static Optional<String> problem(String name) {
    if (name == null || name.isEmpty()) {
      return Optional.of("a parameter name must not be empty");
    }
    if (name.length() > MAX_LENGTH) {
      return Optional.of(
          "parameter name '" + printable(name) + "…' is longer than " + MAX_LENGTH + " characters");
    }
    if (!IDENTIFIER.matcher(name).matches()) {
      return Optional.of(
          "parameter name '"
              + printable(name)
              + "' is not an identifier: use letters, digits and '_', not starting with a digit"
              + " ([A-Za-z_][A-Za-z0-9_]*)");
    }
    if (RESERVED_NAMES.contains(name)) {
      return Optional.of(
          "parameter name '"
              + name
              + "' is reserved: shells, the dynamic linker or language runtimes read it from the"
              + " environment");
    }
    for (String prefix : RESERVED_PREFIXES) {
      if (name.startsWith(prefix)) {
        return Optional.of(
            "parameter name '"
                + name
                + "' is reserved: names starting with '"
                + prefix
                + "' are read by shells, the dynamic linker, language runtimes or the platform"
                + " itself");
      }
    }
    return Optional.empty();
  }

  /** Whether {@code name} is a valid parameter name and may be exported to a process. */
  public static boolean isExportable(String name) {
    return problem(name).isEmpty();
  }

  /** The name cut to a bounded length with control characters replaced, safe for messages. */
  private static String printable(String name) {
    String cut = name.length() > MAX_LENGTH ? name.substring(0, MAX_LENGTH) : name;
    StringBuilder b = new StringBuilder(cut.length());
    cut.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return b.toString();
  }
}
