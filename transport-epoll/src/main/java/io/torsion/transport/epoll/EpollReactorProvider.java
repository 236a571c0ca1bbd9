package io.torsion.transport.epoll;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.torsion.ReactorOptions;
import io.torsion.spi.Availability;
import io.torsion.spi.Network;
import io.torsion.spi.Platform;
import io.torsion.spi.ReactorProvider;
import io.torsion.transport.netty.NettyTransport;
import java.util.Locale;

/**
 * The {@code epoll} transport: Netty 4.2's native epoll I/O handler. The first choice on Linux when
 * Netty's native library loads; elsewhere, or when it does not load, it reports why.
 */
public final class EpollReactorProvider implements ReactorProvider {
  /** The priority of epoll on Linux; 0 (never automatic) elsewhere. */
  public static final int PRIORITY = 100;

  private static final NettyTransport EPOLL =
      new NettyTransport(
              EpollIoHandler::newFactory,
              EpollServerSocketChannel.class,
              EpollSocketChannel.class,
              EpollChannelOption.SO_REUSEPORT)
          .withDatagrams(EpollDatagramChannel.class)
          .withDomainSockets(EpollServerDomainSocketChannel.class, EpollDomainSocketChannel.class);

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public EpollReactorProvider() {}

  @Override
  public String name() {
    return "epoll";
  }

  @Override
  public int priority(Platform platform) {
    return platform.os() == Platform.Os.LINUX ? PRIORITY : 0;
  }

  @Override
  public Availability availability() {
    if (Epoll.isAvailable()) {
      return Availability.AVAILABLE;
    }
    Throwable cause = Epoll.unavailabilityCause();
    String arch = System.getProperty("os.arch", "");
    String classifier = arch.equals("aarch64") ? "linux-aarch_64" : "linux-x86_64";
    String hint =
        System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")
            ? "Netty's native epoll did not load ("
                + cause
                + "); make sure"
                + " io.netty:netty-transport-native-epoll:"
                + classifier
                + " is on the class path"
                + " and the temporary directory allows executables"
            : "epoll exists on Linux only (" + cause + ")";
    return Availability.unavailable(hint, cause);
  }

  @Override
  public Network open(ReactorOptions options) {
    return EPOLL.open(options);
  }
}
