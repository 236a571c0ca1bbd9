package io.torsion.testing.kit;

import static io.torsion.testing.kit.Kit.await;
import static io.torsion.testing.kit.Kit.connectFromBoundPort;
import static io.torsion.testing.kit.Kit.randomBytes;
import static io.torsion.testing.kit.Kit.recorders;
import static io.torsion.testing.kit.Kit.WAIT_SECONDS;
import static io.torsion.testing.kit.Kit.take;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torsion.CannotListenError;
import io.torsion.ConnectionAborted;
import io.torsion.ConnectionClosed;
import io.torsion.ConnectionDone;
import io.torsion.ConnectionLost;
import io.torsion.ConnectionRefusedError;
import io.torsion.DNSLookupError;
import io.torsion.DelayedCall;
import io.torsion.Deferred;
import io.torsion.Factory;
import io.torsion.HalfCloseableProtocol;
import io.torsion.ListeningPort;
import io.torsion.Protocol;
import io.torsion.Reactor;
import io.torsion.ReactorOptions;
import io.torsion.ReactorReport;
import io.torsion.SystemEvent;
import io.torsion.TriggerPhase;
import io.torsion.spi.Availability;
import io.torsion.spi.ReactorProvider;
import io.torsion.BackgroundReactor;
import io.torsion.posix.FileDescriptorLimit;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** The conformance kit's tests of listening: ports chosen and in use, IPv6 loopback, stopping, and factories started and stopped around a port. */
public interface ListeningConformance extends KitContext {

  @Test
  default void listeningOnPortZeroReportsTheChosenPort() {
    ListeningPort port = background().call(() -> reactor().listenTCP(0, "127.0.0.1", Factory.of(() -> new Recorder(true))));
    assertThat(port.port()).isBetween(1, 65535);
    assertThat(port.getHost().getAddress().isLoopbackAddress()).isTrue();
  }

  @Test
  default void listeningOnAPortInUseFailsWithCannotListenError() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      assertThatThrownBy(() -> background().call(() -> reactor().listenTCP(port, "127.0.0.1", Factory.of(() -> new Recorder(true)))))
          .isInstanceOf(CannotListenError.class)
          .hasMessageContaining("127.0.0.1:" + port);
    }
  }

  @Test
  default void listeningOnIpv6LoopbackWorksWhereAvailable() throws Exception {
    InetAddress ipv6 = InetAddress.getByName("::1");
    try (ServerSocket probe = new ServerSocket(0, 1, ipv6)) {
      probe.getLocalPort();
    } catch (IOException noIpv6) {
      Assumptions.abort("IPv6 loopback is not available here: " + noIpv6);
    }
    int port = background().call(() -> reactor().listenTCP(0, "::1", Factory.of(() -> new Recorder(true))).port());
    try (Peer peer = Peer.connect(ipv6, port)) {
      peer.write("six");
      assertThat(peer.readUtf8(3)).isEqualTo("six");
    }
  }

  @Test
  default void stopListeningClosesThePortButKeepsConnections() throws Exception {
    ListeningPort port = background().call(() -> reactor().listenTCP(0, "127.0.0.1", Factory.of(() -> new Recorder(true))));
    try (Peer peer = Peer.connect(port.port())) {
      peer.write("1");
      assertThat(peer.readUtf8(1)).isEqualTo("1");
      await(outcome(port::stopListening));
      assertThatThrownBy(() -> connectFromBoundPort(port.port())).isInstanceOf(java.net.ConnectException.class);
      peer.write("2");
      assertThat(peer.readUtf8(1)).isEqualTo("2");
    }
  }

  @Test
  default void startAndStopFactoryBracketTheListeningPort() {
    List<String> events = new CopyOnWriteArrayList<>();
    Factory<Recorder> factory = new Factory<>() {
      @Override
      public Recorder buildProtocol(SocketAddress peer) {
        return new Recorder(false);
      }

      @Override
      public void startFactory() {
        events.add("start");
      }

      @Override
      public void stopFactory() {
        events.add("stop");
      }
    };
    ListeningPort port = background().call(() -> reactor().listenTCP(0, "127.0.0.1", factory));
    assertThat(events).containsExactly("start");
    await(outcome(port::stopListening));
    assertThat(events).containsExactly("start", "stop");
  }
}
