package io.flinkplatform.tasks.shell;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine processes run on: its name and, on Linux, its boot id. Process ids mean something
 * only on one machine within one boot.
 *
 * @param name the host name (or the {@code shell.hostName} setting)
 * @param bootId {@code /proc/sys/kernel/random/boot_id}, or empty where there is none
 */
record Host(String name, String bootId) {
  private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

  Host {
    requireNonNull(name, "name is null");
    requireNonNull(bootId, "bootId is null");
  }

  /** This machine, named {@code configuredName} if given, else by its host name. */
  static Host local(String configuredName) {
    return new Host(configuredName != null ? configuredName : hostName(), readBootId());
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  private static String readBootId() {
    try {
      return Files.readString(BOOT_ID, StandardCharsets.US_ASCII).trim();
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
