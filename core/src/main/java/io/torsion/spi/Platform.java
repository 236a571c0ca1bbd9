package io.torsion.spi;

import java.util.Locale;
import java.util.Objects;

/**
 * The operating system and architecture a reactor is selected for. {@link #current()} reads the
 * running JVM's; tests build others to check selection on platforms they do not run on.
 *
 * @param osName the value of {@code os.name}, e.g. {@code Linux}, {@code Mac OS X}
 * @param arch the value of {@code os.arch}, e.g. {@code amd64}, {@code aarch64}
 */
public record Platform(String osName, String arch) {
  /** The operating-system families transports care about. */
  public enum Os {
    /** Linux: epoll and io_uring. */
    LINUX,
    /** macOS: kqueue. */
    MACOS,
    /** FreeBSD, OpenBSD, NetBSD, DragonFly: kqueue. */
    BSD,
    /** Windows: IOCP. */
    WINDOWS,
    /** Anything else: NIO only. */
    OTHER
  }

  /** Requires both names. */
  public Platform {
    Objects.requireNonNull(osName, "osName");
    Objects.requireNonNull(arch, "arch");
  }

  /** Returns the platform this JVM runs on. */
  public static Platform current() {
    return new Platform(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
  }

  /** Returns the operating-system family. */
  public Os os() {
    String name = osName.toLowerCase(Locale.ROOT);
    if (name.startsWith("linux")) {
      return Os.LINUX;
    }
    if (name.startsWith("mac") || name.startsWith("darwin")) {
      return Os.MACOS;
    }
    if (name.contains("bsd") || name.startsWith("dragonfly")) {
      return Os.BSD;
    }
    if (name.startsWith("windows")) {
      return Os.WINDOWS;
    }
    return Os.OTHER;
  }

  @Override
  public String toString() {
    return osName + "/" + arch;
  }
}
