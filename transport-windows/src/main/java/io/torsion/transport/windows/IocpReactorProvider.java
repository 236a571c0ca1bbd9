package io.torsion.transport.windows;

import io.torsion.ReactorOptions;
import io.torsion.posix.FileDescriptorLimit;
import io.torsion.spi.Availability;
import io.torsion.spi.Network;
import io.torsion.spi.Platform;
import io.torsion.spi.ReactorProvider;
import java.util.List;

/**
 * The {@code iocp} transport: the JDK's asynchronous channels, which the JDK implements with I/O
 * completion ports on Windows. Chosen automatically on Windows ahead of NIO; on other systems it
 * runs too (on the JDK's epoll or kqueue port) when forced with {@code -Dtorsion.reactor=iocp}.
 * Needs no native library of its own.
 */
public final class IocpReactorProvider implements ReactorProvider {
  /** The priority of IOCP on Windows; 0 (never automatic) elsewhere. */
  public static final int PRIORITY = 100;

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public IocpReactorProvider() {}

  @Override
  public String name() {
    return "iocp";
  }

  @Override
  public int priority(Platform platform) {
    return platform.os() == Platform.Os.WINDOWS ? PRIORITY : 0;
  }

  @Override
  public Availability availability() {
    Platform here = Platform.current();
    return here.os() == Platform.Os.WINDOWS
        ? Availability.AVAILABLE
        : new Availability(
            true,
            "available, emulated: the JDK's asynchronous channels on "
                + here.osName()
                + " (I/O completion ports exist on Windows only)",
            null);
  }

  @Override
  public Network open(ReactorOptions options) {
    String engine =
        Platform.current().os() == Platform.Os.WINDOWS
            ? "I/O completion ports"
            : "the JDK's asynchronous channel port for "
                + Platform.current().osName()
                + " (IOCP exists on Windows only)";
    // The limit is "unknown" on Windows.
    return new IocpNetwork(
        options, List.of("io: " + engine, FileDescriptorLimit.raiseToHardLimit().describe()));
  }
}
