package io.flinkplatform.tasks.shell;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.Workspaces;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The OS users the shell tasks of a workspace run as, when the host configures them: {@code
 * shell.runAs.<workspace>=<osuser>} for one workspace, {@code shell.runAsOthers=<osuser>} for every
 * workspace without its own setting. A task of a workspace without a run-as user runs as the
 * platform's own user, as before.
 *
 * <p>The switch is made by {@code setpriv} (util-linux) at a fixed absolute path: {@code setpriv
 * --reuid=<uid> --regid=<gid> --init-groups --inh-caps=-all -- <command>}, so the process gets the
 * user's uid, primary gid and supplementary groups, and keeps no inheritable or ambient capability.
 * It replaces itself with the command (same pid), so the process tree, its process group and its
 * session stay what {@link ProcessTree} and the {@link DatabaseProcessTracker} know. Users are
 * looked up with {@code getent passwd} (so NSS sources count) when a task starts.
 *
 * <p>The platform must be allowed to switch users and to signal and inspect the other user's
 * processes: root, or CAP_SETUID, CAP_SETGID (inherited by {@code setpriv} as ambient
 * capabilities), CAP_KILL and CAP_SYS_PTRACE (to read {@code /proc/<pid>/environ} after a
 * failover); see docs/tasks/shell.md.
 */
final class RunAs {
  static final String PREFIX = "shell.runAs.";
  static final String OTHERS = "shell.runAsOthers";

  /** No workspace has a run-as user. */
  static final RunAs NONE = new RunAs(Map.of(), Optional.empty(), Optional.empty());

  /** What an OS user name may look like (the POSIX portable set, as useradd accepts it). */
  private static final Pattern OS_USER = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,31}");

  private static final List<Path> SETPRIV =
      List.of(Path.of("/usr/bin/setpriv"), Path.of("/bin/setpriv"));
  private static final List<Path> GETENT =
      List.of(Path.of("/usr/bin/getent"), Path.of("/bin/getent"));

  /** An OS user as {@code getent passwd} reports it. */
  record OsUser(String name, int uid, int gid, String home) {}

  /** The configured OS user of a workspace does not exist, or cannot be looked up. */
  static final class RunAsException extends Exception {
    private static final long serialVersionUID = 1L;

    RunAsException(String message) {
      super(message);
    }
  }

  private final Map<String, String> byWorkspace;
  private final Optional<String> others;
  private final Optional<Path> setpriv;

  private RunAs(Map<String, String> byWorkspace, Optional<String> others, Optional<Path> setpriv) {
    this.byWorkspace = Map.copyOf(byWorkspace);
    this.others = others;
    this.setpriv = setpriv;
  }

  /**
   * The run-as users of the plugin's settings.
   *
   * @throws IllegalArgumentException naming the setting whose workspace or user name is not valid,
   *     or when users are configured and the system has no {@code setpriv}
   */
  static RunAs fromSettings(Map<String, String> settings) {
    Map<String, String> byWorkspace = new TreeMap<>();
    settings.forEach(
        (key, value) -> {
          if (key.startsWith(PREFIX)) {
            String workspace = key.substring(PREFIX.length());
            Workspaces.problem(workspace)
                .ifPresent(
                    p -> {
                      throw new IllegalArgumentException(
                          key + ": '" + printable(workspace) + "' is not a workspace name: " + p);
                    });
            byWorkspace.put(workspace, checkUser(key, value));
          }
        });
    Optional<String> others =
        Optional.ofNullable(settings.get(OTHERS)).map(value -> checkUser(OTHERS, value));
    if (byWorkspace.isEmpty() && others.isEmpty()) {
      return NONE;
    }
    Optional<Path> setpriv = SETPRIV.stream().filter(Files::isExecutable).findFirst();
    if (setpriv.isEmpty()) {
      throw new IllegalArgumentException(
          (others.isPresent() ? OTHERS : PREFIX + byWorkspace.keySet().iterator().next())
              + " is set, but this system has no setpriv (util-linux) at "
              + SETPRIV.get(0)
              + " or "
              + SETPRIV.get(1)
              + " to switch users with");
    }
    return new RunAs(byWorkspace, others, setpriv);
  }

  private static String checkUser(String key, String value) {
    String user = value.trim();
    if (!OS_USER.matcher(user).matches()) {
      throw new IllegalArgumentException(
          key
              + ": '"
              + printable(value)
              + "' is not an OS user name; use 1 to 32 characters of [A-Za-z0-9_.-], not"
              + " starting with '-', '.' or a digit");
    }
    return user;
  }

  private static String printable(String text) {
    return ShellEnvironment.printable(text, 64);
  }

  /** Whether any workspace has a run-as user. */
  boolean configured() {
    return !byWorkspace.isEmpty() || others.isPresent();
  }

  /**
   * Whether the tasks of {@code workspace} are confined to what is theirs (a resource directory of
   * their own, a fresh working directory): outside the default workspace, and wherever they run as
   * another OS user, to whom the platform hands what it staged.
   */
  boolean confines(String workspace) {
    return !io.flinkplatform.spi.Workspaces.DEFAULT.equals(workspace)
        || userFor(workspace).isPresent();
  }

  /** The OS user of {@code workspace}'s tasks, if the host configured one. */
  Optional<String> userFor(String workspace) {
    String user = byWorkspace.get(workspace);
    return user != null ? Optional.of(user) : others;
  }

  /** The setting that names {@code workspace}'s user, for messages. */
  String settingFor(String workspace) {
    return byWorkspace.containsKey(workspace) ? PREFIX + workspace : OTHERS;
  }

  /** Every configured user with the setting that names it, for the check at start. */
  Map<String, String> users() {
    Map<String, String> out = new TreeMap<>();
    byWorkspace.forEach((ws, user) -> out.put(PREFIX + ws, user));
    others.ifPresent(user -> out.put(OTHERS, user));
    return out;
  }

  /**
   * Looks {@code name} up with {@code getent passwd}.
   *
   * @throws RunAsException if there is no such user, or the lookup fails
   */
  static OsUser lookup(String name) throws RunAsException, InterruptedException {
    requireNonNull(name, "name is null");
    Path getent =
        GETENT.stream()
            .filter(Files::isExecutable)
            .findFirst()
            .orElseThrow(
                () -> new RunAsException("this system has no getent to look OS user names up"));
    Process p;
    try {
      p =
          new ProcessBuilder(getent.toString(), "passwd", "--", name)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      p.getOutputStream().close();
    } catch (IOException e) {
      throw new RunAsException("could not look up OS user '" + name + "': " + e.getMessage());
    }
    // one passwd line fits the pipe: wait first, so that a hanging NSS source cannot block a read
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new RunAsException("looking up OS user '" + name + "' took longer than 10 s");
    }
    String out;
    try {
      out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      out = "";
    }
    if (p.exitValue() == 2 || (p.exitValue() == 0 && out.isEmpty())) {
      throw new RunAsException("OS user '" + name + "' does not exist on this host");
    }
    String[] fields = out.split(":", -1);
    if (p.exitValue() != 0 || fields.length < 7 || !fields[0].equals(name)) {
      throw new RunAsException(
          "could not look up OS user '" + name + "' (getent exit code " + p.exitValue() + ")");
    }
    try {
      return new OsUser(name, Integer.parseInt(fields[2]), Integer.parseInt(fields[3]), fields[5]);
    } catch (NumberFormatException e) {
      throw new RunAsException("OS user '" + name + "' has no numeric uid and gid");
    }
  }

  /** The prefix that runs a command as {@code user}: setpriv with the user's ids and groups. */
  List<String> command(OsUser user) {
    List<String> out = new ArrayList<>();
    out.add(setpriv.orElseThrow().toString());
    out.add("--reuid=" + user.uid());
    out.add("--regid=" + user.gid());
    out.add("--init-groups");
    out.add("--inh-caps=-all");
    out.add("--");
    return out;
  }

  /** The identity variables of {@code user}'s processes. */
  static void identity(Map<String, String> environment, OsUser user) {
    environment.put("HOME", user.home());
    environment.put("USER", user.name());
    environment.put("LOGNAME", user.name());
  }

  /**
   * Gives {@code root} and everything under it to {@code user}; links are changed themselves, never
   * followed.
   */
  static void chown(Path root, OsUser user) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            give(dir, user);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            give(file, user);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private static void give(Path path, OsUser user) throws IOException {
    Files.setAttribute(path, "unix:uid", user.uid(), LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(path, "unix:gid", user.gid(), LinkOption.NOFOLLOW_LINKS);
  }
}
