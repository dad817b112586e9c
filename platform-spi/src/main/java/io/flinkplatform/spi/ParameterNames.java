package io.flinkplatform.spi;

import java.util.List;
import java.util.Locale;
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
 * <p>Reserved are the exact names in {@link #RESERVED_NAMES}, every name starting with one of
 * {@link #RESERVED_PREFIXES} or ending in one of {@link #RESERVED_SUFFIXES}, libpq's names ({@code
 * PG} and an upper-case letter) and npm's ({@code npm_config_} in any case). Names are
 * case-sensitive otherwise, as environment variables are: {@code path} is an ordinary parameter,
 * {@code PATH} is reserved; the lower-case proxy variables that HTTP clients read ({@code
 * http_proxy}, …) are reserved as well.
 */
public final class ParameterNames {
  /** The longest parameter name accepted. */
  public static final int MAX_LENGTH = 64;

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /**
   * Names a shell, the dynamic linker, an interpreter, a runtime or a client library reads from the
   * environment to load code, options or trust settings.
   */
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
          // language runtimes (their *_OPTS and *_OPTIONS are reserved by suffix)
          "JAVA_HOME",
          "CLASSPATH",
          "NODE_PATH",
          "LUA_INIT",
          "R_PROFILE",
          "R_PROFILE_USER",
          "R_ENVIRON",
          "R_ENVIRON_USER",
          "GOFLAGS",
          "GOPATH",
          "GOROOT",
          "GOPROXY",
          // programs that other programs start
          "BROWSER",
          "EDITOR",
          "VISUAL",
          "PAGER",
          "LESSOPEN",
          "LESSCLOSE",
          // TLS trust and engines
          "OPENSSL_CONF",
          "OPENSSL_ENGINES",
          "SSL_CERT_FILE",
          "SSL_CERT_DIR",
          "CURL_CA_BUNDLE",
          "REQUESTS_CA_BUNDLE",
          // cluster and cloud clients
          "KUBECONFIG",
          "DOCKER_HOST",
          "DOCKER_CONFIG",
          "GOOGLE_APPLICATION_CREDENTIALS",
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
          // shells, the dynamic linker, the C library
          "BASH_",
          "LD_",
          "DYLD_",
          "MALLOC_",
          "LC_",
          // interpreters and package managers
          "PYTHON",
          "PERL",
          "RUBY",
          "LUA_INIT_",
          "GEM_",
          "BUNDLE_",
          "CARGO_",
          // tools and clients holding credentials or endpoints
          "GIT_",
          "SSH_",
          "KRB5",
          "AWS_",
          "AZURE_",
          "MYSQL_",
          // the clusters the platform drives
          "HADOOP_",
          "YARN_",
          "FLINK_",
          // the platform itself
          "PLATFORM_",
          "UPSTREAM_");

  /**
   * Suffixes of names that runtimes and their launchers read as command-line options ({@code
   * JAVA_TOOL_OPTIONS}, {@code NODE_OPTIONS}, {@code MAVEN_OPTS}, {@code SPARK_SUBMIT_OPTS}, …).
   */
  public static final List<String> RESERVED_SUFFIXES = List.of("_OPTS", "_OPTIONS");

  /** npm reads {@code npm_config_*} in any case. */
  private static final String NPM_CONFIG = "NPM_CONFIG_";

  /**
   * libpq (PostgreSQL clients) reads {@code PGHOST}, {@code PGPASSFILE}, {@code PGSERVICEFILE}, …
   */
  private static final Pattern LIBPQ = Pattern.compile("PG[A-Z].*");

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
        return reserved(name, "names starting with '" + prefix + "'");
      }
    }
    for (String suffix : RESERVED_SUFFIXES) {
      if (name.endsWith(suffix)) {
        return reserved(name, "names ending in '" + suffix + "'");
      }
    }
    if (name.toUpperCase(Locale.ROOT).startsWith(NPM_CONFIG)) {
      return reserved(name, "names starting with 'npm_config_' in any case");
    }
    if (LIBPQ.matcher(name).matches()) {
      return reserved(name, "names of 'PG' and an upper-case letter (libpq)");
    }
    return Optional.empty();
  }

  private static Optional<String> reserved(String name, String rule) {
    return Optional.of(
        "parameter name '"
            + name
            + "' is reserved: "
            + rule
            + " are read by shells, the dynamic linker, language runtimes, clients or the platform"
            + " itself");
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
