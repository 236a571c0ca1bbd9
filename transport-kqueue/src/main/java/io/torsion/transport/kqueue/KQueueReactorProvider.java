package io.torsion.transport.kqueue;

import io.netty.channel.kqueue.KQueue;
import io.netty.channel.kqueue.KQueueChannelOption;
import io.netty.channel.kqueue.KQueueDatagramChannel;
import io.netty.channel.kqueue.KQueueDomainSocketChannel;
import io.netty.channel.kqueue.KQueueIoHandler;
import io.netty.channel.kqueue.KQueueServerDomainSocketChannel;
import io.netty.channel.kqueue.KQueueServerSocketChannel;
import io.netty.channel.kqueue.KQueueSocketChannel;
import io.torsion.ReactorOptions;
import io.torsion.spi.Availability;
import io.torsion.spi.Network;
import io.torsion.spi.Platform;
import io.torsion.spi.ReactorProvider;
import io.torsion.transport.netty.NettyTransport;
import java.util.Locale;

/**
 * The {@code kqueue} transport: Netty 4.2's native kqueue I/O handler. The first choice on macOS
 * and the BSDs when Netty's native library loads; elsewhere it reports why it cannot run.
 */
public final class KQueueReactorProvider implements ReactorProvider {
  /** The priority of kqueue on macOS and BSD; 0 (never automatic) elsewhere. */
  public static final int PRIORITY = 100;

  private static final NettyTransport KQUEUE =
      new NettyTransport(
              KQueueIoHandler::newFactory,
              KQueueServerSocketChannel.class,
              KQueueSocketChannel.class,
              KQueueChannelOption.SO_REUSEPORT)
          .withDatagrams(KQueueDatagramChannel.class)
          .withDomainSockets(
              KQueueServerDomainSocketChannel.class, KQueueDomainSocketChannel.class);

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public KQueueReactorProvider() {}

  @Override
  public String name() {
    return "kqueue";
  }

  @Override
  public int priority(Platform platform) {
    return platform.os() == Platform.Os.MACOS || platform.os() == Platform.Os.BSD ? PRIORITY : 0;
  }

  @Override
  public Availability availability() {
    Platform here = Platform.current();
    if (here.os() != Platform.Os.MACOS && here.os() != Platform.Os.BSD) {
      return Availability.unavailable("kqueue exists on macOS and BSD only, not on " + here, null);
    }
    if (KQueue.isAvailable()) {
      return Availability.AVAILABLE;
    }
    Throwable cause = KQueue.unavailabilityCause();
    String classifier =
        here.arch().toLowerCase(Locale.ROOT).contains("aarch64") ? "osx-aarch_64" : "osx-x86_64";
    return Availability.unavailable(
        "Netty's native kqueue did not load ("
            + cause
            + "); make sure"
            + " io.netty:netty-transport-native-kqueue:"
            + classifier
            + " is on the class path",
        cause);
  }

  @Override
  public Network open(ReactorOptions options) {
    return KQUEUE.open(options);
  }
}
