package io.torsion.testing.kit;

import static io.torsion.testing.kit.Kit.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torsion.CannotListenError;
import io.torsion.ConnectError;
import io.torsion.ConnectionRefusedError;
import io.torsion.Factory;
import io.torsion.PeerCredentials;
import io.torsion.Protocol;
import io.torsion.UnixPort;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit's UNIX domain socket tests: {@code listenUNIX} and {@code connectUNIX}
 * against the JDK's own UNIX sockets: echo, half-close, the socket file's mode, stale and live
 * files, removal on stop, refusals, and the peer's credentials where the transport gives them. A
 * transport without UNIX sockets is skipped here with its own words.
 */
public interface UnixSocketConformance extends KitContext {

  /** Records the transport's view of its connection, then echoes. */
  final class Observer extends Recorder {
    final CompletableFuture<List<Object>> seen = new CompletableFuture<>();

    Observer() {
      super(true);
    }

    @Override
    public void connectionMade() {
      super.connectionMade();
      PeerCredentials credentials = transport().peerCredentials();
      seen.complete(Arrays.asList(transport().getHost(), transport().getPeer(), credentials));
    }
  }

  private Path socketPath(String name) throws IOException {
    Path dir = Files.createTempDirectory("torsion-kit-unix");
    dir.toFile().deleteOnExit();
    return dir.resolve(name);
  }

  /** Listens on {@code path}, or skips the test with the transport's reason if it cannot. */
  private UnixPort listenOrSkip(Path path, Factory<?> factory) throws Exception {
    try {
      return background().call(() -> reactor().listenUNIX(path, factory, null));
    } catch (Exception e) {
      if (e instanceof CannotListenError refused
          && String.valueOf(refused.getMessage()).contains("no UNIX domain sockets")) {
        Assumptions.abort(refused.getMessage());
      }
      throw e;
    }
  }

  private static String roundTrip(SocketChannel client, String text) throws IOException {
    client.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    ByteBuffer answer = ByteBuffer.allocate(text.length());
    while (answer.hasRemaining()) {
      if (client.read(answer) < 0) {
        break;
      }
    }
    return new String(answer.array(), 0, answer.position(), StandardCharsets.UTF_8);
  }

  @Test
  default void aUnixSocketEchoesAndItsFileHasTheModeAndGoesWithThePort() throws Exception {
    Path path = socketPath("echo.sock");
    Observer server = new Observer();
    UnixPort port = listenOrSkip(path, Factory.of(() -> server));
    assertThat(port.path()).isEqualTo(path.toAbsolutePath());
    assertThat(Files.getPosixFilePermissions(path))
        .isEqualTo(PosixFilePermissions.fromString("rw-rw----"));
    try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
      assertThat(roundTrip(client, "over a UNIX socket")).isEqualTo("over a UNIX socket");
      List<Object> seen = await(server.seen);
      assertThat(seen.get(0)).isEqualTo(UnixDomainSocketAddress.of(path.toAbsolutePath()));
      assertThat(seen.get(1)).isInstanceOf(UnixDomainSocketAddress.class);
      PeerCredentials credentials = (PeerCredentials) seen.get(2);
      String transport = reactor().report().transport();
      if (transport.equals("epoll") || transport.equals("io_uring") || transport.equals("kqueue")) {
        assertThat(credentials).as("the kernel's SO_PEERCRED on " + transport).isNotNull();
      }
      if (credentials != null) {
        assertThat(credentials.pid()).isEqualTo(ProcessHandle.current().pid());
      }
    }
    await(outcome(port::stopListening));
    assertThat(path).as("the socket file is removed").doesNotExist();
  }

  @Test
  default void connectUnixReachesAUnixPort() throws Exception {
    Path path = socketPath("echo.sock");
    UnixPort port = listenOrSkip(path, Factory.of(() -> new Recorder(true)));
    Recorder client = new Recorder(false);
    Protocol connected =
        await(outcome(() -> reactor().connectUNIX(path, Factory.of(() -> client))));
    assertThat(connected).isSameAs(client);
    background().execute(() -> client.transport().write("hello"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Kit.WAIT_SECONDS);
    while (client.received.get() < 5 && System.nanoTime() < deadline) {
      background().call(() -> null); // a turn of the reactor, not a sleep
    }
    assertThat(client.received.get()).isEqualTo(5);
    assertThat(background().call(() -> client.transport().getPeer()))
        .isEqualTo(UnixDomainSocketAddress.of(path.toAbsolutePath()));
    await(outcome(port::stopListening));
  }

  @Test
  default void aUnixSocketHalfCloses() throws Exception {
    String transport = reactor().report().transport();
    Assumptions.assumeFalse(
        transport.equals("nio") || transport.equals("io_uring"),
        "Netty 4.2's "
            + transport
            + " UNIX socket channels close the connection when the peer half-closes (their"
            + " end-of-input check knows TCP's SocketChannelConfig only); TCP half-closes here");
    Path path = socketPath("answer.sock");
    UnixPort port = listenOrSkip(path, Factory.of(HalfClose.Answerer::new));
    HalfClose.Asker asker = new HalfClose.Asker();
    await(outcome(() -> reactor().connectUNIX(path, Factory.of(() -> asker))));
    await(asker.lost);
    assertThat(background().call(asker.answer::toString)).isEqualTo("answer to question");
    await(outcome(port::stopListening));
  }

  @Test
  default void aUnixConnectionPausesItsProducerAtTheWatermarkAndDeliversEverything()
      throws Exception {
    int total = 8 * 1024 * 1024;
    PausingWriter writer = new PausingWriter(reactor(), total);
    Path path = socketPath("stream.sock");
    UnixPort port = listenOrSkip(path, Factory.of(() -> writer));
    long read = 0;
    try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
      // Not reading yet: the kernel's buffer fills, then the queue passes the watermark (a reader
      // that keeps up from the start may never let it: a UNIX socket's buffer is large).
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Kit.WAIT_SECONDS);
      while (writer.pauses.get() == 0 && System.nanoTime() < deadline) {
        background().call(() -> null); // a turn of the reactor, not a sleep
      }
      ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
      for (int n = client.read(buffer); n >= 0; n = client.read(buffer)) {
        read += n;
        buffer.clear();
      }
    }
    assertThat(read).isEqualTo(total);
    assertThat(writer.pauses.get()).as("paused at the high watermark").isPositive();
    assertThat(writer.maxQueued.get())
        .isLessThanOrEqualTo(options().writeBufferHighWatermark() + PausingWriter.CHUNK + 1024L);
    await(outcome(port::stopListening));
  }

  @Test
  default void aUnixConnectionSwitchesProtocolsWithTheBytesAlreadyRead() throws Exception {
    Path path = socketPath("switch.sock");
    UnixPort port =
        listenOrSkip(
            path,
            Factory.of(
                () ->
                    new Protocol() {
                      @Override
                      public void dataReceived(ByteBuffer data) {
                        String text = StandardCharsets.UTF_8.decode(data.duplicate()).toString();
                        int end = text.indexOf('\n');
                        if (end >= 0) {
                          ByteBuffer rest = data.duplicate();
                          rest.position(rest.position() + end + 1);
                          transport().switchProtocol(new Recorder(true), rest);
                        }
                      }
                    }));
    try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
      client.write(ByteBuffer.wrap("upgrade\nalready sent".getBytes(StandardCharsets.UTF_8)));
      ByteBuffer answer = ByteBuffer.allocate("already sent".length());
      while (answer.hasRemaining() && client.read(answer) >= 0) {
        // the echo of what followed the switch, then of what comes after
      }
      assertThat(new String(answer.array(), StandardCharsets.UTF_8)).isEqualTo("already sent");
      assertThat(roundTrip(client, " and more")).isEqualTo(" and more");
    }
    await(outcome(port::stopListening));
  }

  @Test
  default void aStaleSocketFileIsReplacedButALiveOneOrAPlainFileIsNot() throws Exception {
    Path stale = socketPath("stale.sock");
    try (ServerSocketChannel gone = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      gone.bind(UnixDomainSocketAddress.of(stale)); // closing leaves the file behind
    }
    assertThat(stale).exists();
    UnixPort port = listenOrSkip(stale, Factory.of(() -> new Recorder(true)));
    try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(stale))) {
      assertThat(roundTrip(client, "replaced")).isEqualTo("replaced");
    }
    assertThatThrownBy(
            () ->
                background()
                    .call(
                        () ->
                            reactor()
                                .listenUNIX(stale, Factory.of(() -> new Recorder(true)), null)))
        .isInstanceOf(CannotListenError.class)
        .hasMessageContaining("another process is listening");
    await(outcome(port::stopListening));

    Path plain = socketPath("plain.txt");
    Files.writeString(plain, "not a socket");
    assertThatThrownBy(
            () ->
                background()
                    .call(
                        () ->
                            reactor()
                                .listenUNIX(plain, Factory.of(() -> new Recorder(true)), null)))
        .isInstanceOf(CannotListenError.class)
        .hasMessageContaining("not a socket");
    assertThat(Files.readString(plain)).isEqualTo("not a socket");
  }

  @Test
  default void connectingToNothingFailsAndToAStaleFileIsRefused() throws Exception {
    Path probe = socketPath("probe.sock");
    UnixPort probing = listenOrSkip(probe, Factory.of(() -> new Recorder(true)));
    await(outcome(probing::stopListening));
    Path missing = socketPath("missing.sock");
    assertThat(failure(missing)).isInstanceOf(ConnectError.class);
    Path stale = socketPath("stale.sock");
    try (ServerSocketChannel gone = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      gone.bind(UnixDomainSocketAddress.of(stale));
    }
    assertThat(failure(stale)).isInstanceOf(ConnectionRefusedError.class);
  }

  private Throwable failure(Path path) throws Exception {
    CompletableFuture<Throwable> error = new CompletableFuture<>();
    background()
        .execute(
            () ->
                reactor()
                    .connectUNIX(path, Factory.of(() -> new Recorder(false)))
                    .addCallbacks(
                        connected -> error.complete(null),
                        failed -> error.complete(failed.value())));
    return error.get(Kit.WAIT_SECONDS, TimeUnit.SECONDS);
  }
}
