package io.torsion.testing.kit;

import static io.torsion.testing.kit.Kit.await;
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

/** The conformance kit's tests of connecting: the Deferred of connectTCP, name resolution off the reactor thread, refusals and unknown hosts. */
public interface ConnectingConformance extends KitContext {

  @Test
  default void connectTCPFiresWithTheProtocolAfterConnectionMade() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Recorder> connected = outcome(() ->
          reactor().connectTCP("127.0.0.1", server.getLocalPort(), Factory.of(() -> new Recorder(true))));
      try (Peer accepted = Peer.of(server.accept())) {
        Recorder client = await(connected);
        assertThat(client.made).isDone();
        accepted.write("ping");
        assertThat(accepted.readUtf8(4)).isEqualTo("ping");
      }
    }
  }

  @Test
  default void connectTCPResolvesHostNamesOffTheReactorThread() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Recorder> connected = outcome(() ->
          reactor().connectTCP("localhost", server.getLocalPort(), Factory.of(() -> new Recorder(true))));
      try (Socket accepted = server.accept()) {
        assertThat(await(connected).made).isDone();
        assertThat(accepted.isConnected()).isTrue();
      }
    }
  }

  @Test
  default void connectionRefusedFailsTheDeferred() throws Exception {
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = probe.getLocalPort();
    }
    CompletableFuture<Recorder> connected = outcome(() ->
        reactor().connectTCP("127.0.0.1", closedPort, Factory.of(() -> new Recorder(true))));
    assertThatThrownBy(() -> connected.get(WAIT_SECONDS, TimeUnit.SECONDS))
        .hasCauseInstanceOf(ConnectionRefusedError.class)
        .hasMessageContaining("127.0.0.1:" + closedPort);
  }

  @Test
  default void unresolvableHostFailsWithDNSLookupError() {
    CompletableFuture<Recorder> connected = outcome(() ->
        reactor().connectTCP("no-such-host.invalid", 80, Factory.of(() -> new Recorder(true))));
    assertThatThrownBy(() -> connected.get(WAIT_SECONDS, TimeUnit.SECONDS))
        .hasCauseInstanceOf(DNSLookupError.class)
        .hasMessageContaining("no-such-host.invalid");
  }
}
