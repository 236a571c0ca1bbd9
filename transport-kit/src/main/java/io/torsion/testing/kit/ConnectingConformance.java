package io.torsion.testing.kit;

import static io.torsion.testing.kit.Kit.WAIT_SECONDS;
import static io.torsion.testing.kit.Kit.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torsion.ConnectionDone;
import io.torsion.ConnectionRefusedError;
import io.torsion.DNSLookupError;
import io.torsion.Factory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit's tests of connecting: the Deferred of connectTCP, name resolution off the
 * reactor thread, refusals and unknown hosts.
 */
public interface ConnectingConformance extends KitContext {

  @Test
  default void connectTCPFiresWithTheProtocolAfterConnectionMade() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Recorder> connected =
          outcome(
              () ->
                  reactor()
                      .connectTCP(
                          "127.0.0.1",
                          server.getLocalPort(),
                          Factory.of(() -> new Recorder(true))));
      try (Peer accepted = Peer.of(server.accept())) {
        Recorder client = await(connected);
        assertThat(client.made).isDone();
        accepted.write("ping");
        assertThat(accepted.readUtf8(4)).isEqualTo("ping");
      }
    }
  }

  @Test
  default void aClientThatHalfClosesGetsTheAnswerAndThenSeesTheServerClose() throws Exception {
    HalfClose.Answerer server = new HalfClose.Answerer();
    int port = listen(Factory.of(() -> server));
    HalfClose.Asker client = new HalfClose.Asker();
    await(outcome(() -> reactor().connectTCP("127.0.0.1", port, Factory.of(() -> client))));
    assertThat(await(client.lost))
        .as("the client's end after its own half-close (reading went on)")
        .isInstanceOf(ConnectionDone.class);
    assertThat(client.answer.toString()).isEqualTo("answer to question");
    assertThat(await(server.lost)).isInstanceOf(ConnectionDone.class);
  }

  @Test
  default void connectTCPResolvesHostNamesOffTheReactorThread() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Recorder> connected =
          outcome(
              () ->
                  reactor()
                      .connectTCP(
                          "localhost",
                          server.getLocalPort(),
                          Factory.of(() -> new Recorder(true))));
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
    CompletableFuture<Recorder> connected =
        outcome(
            () ->
                reactor()
                    .connectTCP("127.0.0.1", closedPort, Factory.of(() -> new Recorder(true))));
    assertThatThrownBy(() -> connected.get(WAIT_SECONDS, TimeUnit.SECONDS))
        .hasCauseInstanceOf(ConnectionRefusedError.class)
        .hasMessageContaining("127.0.0.1:" + closedPort);
  }

  @Test
  default void unresolvableHostFailsWithDNSLookupError() {
    CompletableFuture<Recorder> connected =
        outcome(
            () ->
                reactor()
                    .connectTCP("no-such-host.invalid", 80, Factory.of(() -> new Recorder(true))));
    assertThatThrownBy(() -> connected.get(WAIT_SECONDS, TimeUnit.SECONDS))
        .hasCauseInstanceOf(DNSLookupError.class)
        .hasMessageContaining("no-such-host.invalid");
  }
}
