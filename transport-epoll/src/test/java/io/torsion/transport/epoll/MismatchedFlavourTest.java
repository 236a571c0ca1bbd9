package io.torsion.transport.epoll;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.torsion.CannotListenError;
import io.torsion.Factory;
import io.torsion.Protocol;
import io.torsion.Reactor;
import io.torsion.ReactorOptions;
import io.torsion.spi.Availability;
import io.torsion.spi.Network;
import io.torsion.spi.Platform;
import io.torsion.spi.ReactorProvider;
import io.torsion.transport.netty.NettyTransport;
import org.junit.jupiter.api.Test;

class MismatchedFlavourTest {
  @Test
  void channelsThatDoNotFitTheIoHandlerFailWithAnErrorNamingThem() {
    NettyTransport mismatched =
        new NettyTransport(
            NioIoHandler::newFactory, EpollServerSocketChannel.class, EpollSocketChannel.class);
    Reactor reactor =
        Reactor.create(
            ReactorOptions.defaults(),
            new ReactorProvider() {
              @Override
              public String name() {
                return "mismatched";
              }

              @Override
              public int priority(Platform platform) {
                return 0;
              }

              @Override
              public Availability availability() {
                return Availability.AVAILABLE;
              }

              @Override
              public Network open(ReactorOptions options) {
                return mismatched.open(options);
              }
            });
    try {
      assertThatThrownBy(
              () -> reactor.listenTCP(0, "127.0.0.1", Factory.of(() -> new Protocol() {})))
          .isInstanceOf(CannotListenError.class)
          .hasMessageContaining("pairs channel classes with an I/O handler they do not fit")
          .hasMessageContaining("EpollServerSocketChannel");
    } finally {
      reactor.stop();
    }
  }
}
