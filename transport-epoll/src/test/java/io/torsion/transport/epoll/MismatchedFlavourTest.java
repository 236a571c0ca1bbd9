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
import io.torsion.ReactorReport;
import io.torsion.transport.netty.NettyTransport;
import java.util.List;
import org.junit.jupiter.api.Test;

class MismatchedFlavourTest {
  @Test
  void channelsThatDoNotFitTheIoHandlerFailWithAnErrorNamingTheTransport() {
    NettyTransport mismatched = new NettyTransport("mismatched", NioIoHandler::newFactory,
        EpollServerSocketChannel.class, EpollSocketChannel.class);
    Reactor reactor = mismatched.newReactor(ReactorOptions.defaults(),
        new ReactorReport("mismatched", "forced", "test", List.of(), List.of()));
    try {
      assertThatThrownBy(() -> reactor.listenTCP(0, "127.0.0.1", Factory.of(() -> new Protocol() {})))
          .isInstanceOf(CannotListenError.class)
          .hasMessageContaining("transport 'mismatched'")
          .hasMessageContaining("EpollServerSocketChannel");
    } finally {
      reactor.stop();
    }
  }
}
