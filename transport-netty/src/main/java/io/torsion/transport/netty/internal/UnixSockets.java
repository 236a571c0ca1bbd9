package io.torsion.transport.netty.internal;

import io.netty.channel.Channel;
import io.netty.channel.unix.DomainSocketAddress;
import io.torsion.PeerCredentials;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * UNIX domain socket details across Netty's flavours, in the JDK's terms: addresses become {@link
 * UnixDomainSocketAddress} (the core API shows no Netty type), and the native channels' {@code
 * peerCredentials()} (epoll, io_uring, kqueue; NIO has none) become {@link PeerCredentials}.
 */
final class UnixSockets {
  private static final MethodHandle NONE = MethodHandles.constant(Object.class, null);
  private static final Map<Class<?>, MethodHandle> CREDENTIALS = new ConcurrentHashMap<>();

  private UnixSockets() {}

  /** Returns {@code address}, a Netty domain socket address turned into the JDK's. */
  static SocketAddress jdkAddress(SocketAddress address) {
    if (address instanceof DomainSocketAddress domain) {
      return UnixDomainSocketAddress.of(domain.path());
    }
    return address;
  }

  /** Returns the address to bind or connect {@code path} with on {@code channelType}'s flavour. */
  static SocketAddress nettyAddress(Path path, Class<?> channelType) {
    return channelType.getPackageName().equals("io.netty.channel.socket.nio")
        ? UnixDomainSocketAddress.of(path)
        : new DomainSocketAddress(path.toFile());
  }

  /** Returns the peer's credentials of a native domain socket channel, or null. */
  static PeerCredentials peerCredentials(Channel channel) {
    MethodHandle reader = CREDENTIALS.computeIfAbsent(channel.getClass(), UnixSockets::reader);
    try {
      Object found = reader.invoke(channel);
      if (found instanceof io.netty.channel.unix.PeerCredentials credentials) {
        int[] gids = credentials.gids();
        return new PeerCredentials(
            credentials.pid(), credentials.uid(), gids.length > 0 ? gids[0] : -1);
      }
      return null;
    } catch (Throwable e) {
      return null; // the OS would not say
    }
  }

  private static MethodHandle reader(Class<?> type) {
    try {
      return MethodHandles.publicLookup()
          .findVirtual(
              type,
              "peerCredentials",
              MethodType.methodType(io.netty.channel.unix.PeerCredentials.class))
          .asType(MethodType.methodType(Object.class, Channel.class));
    } catch (ReflectiveOperationException notThisFlavour) {
      return MethodHandles.dropArguments(NONE, 0, Channel.class);
    }
  }
}
