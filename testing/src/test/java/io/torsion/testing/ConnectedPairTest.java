package io.torsion.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.BackgroundReactor;
import io.torsion.ConnectionClosed;
import io.torsion.ConnectionRefusedError;
import io.torsion.Factory;
import io.torsion.Protocol;
import io.torsion.PushProducer;
import io.torsion.Reactor;
import io.torsion.ReactorOptions;
import io.torsion.tls.SelfSignedCertificate;
import io.torsion.tls.TlsClientOptions;
import io.torsion.tls.TlsInfo;
import io.torsion.tls.TlsServerOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConnectedPairTest {
  /** Writes back what it receives. */
  static final class Echo extends Protocol {
    @Override
    public void dataReceived(ByteBuffer data) {
      transport().write(data);
    }
  }

  /** Records what it receives and how it ended. */
  static class Recorder extends Protocol {
    final StringBuilder received = new StringBuilder();
    final List<String> events = new ArrayList<>();

    @Override
    public void connectionMade() {
      events.add("made " + transport().getHost() + " -> " + transport().getPeer());
    }

    @Override
    public void dataReceived(ByteBuffer data) {
      received.append(StandardCharsets.UTF_8.decode(data));
    }

    @Override
    public void connectionLost(ConnectionClosed reason) {
      events.add("lost " + reason.getClass().getSimpleName());
    }
  }

  /** Writes 64 KiB each time it is resumed, until stopped; counts its pauses. */
  static final class Flood extends Protocol implements PushProducer {
    int pauses;
    int resumes;
    boolean paused;
    long sent;

    @Override
    public void connectionMade() {
      transport().registerProducer(this);
      fill();
    }

    private void fill() {
      while (!paused && sent < 16L * 1024 * 1024) {
        transport().write(ByteBuffer.allocate(64 * 1024));
        sent += 64 * 1024;
      }
    }

    @Override
    public void pauseProducing() {
      paused = true;
      pauses++;
    }

    @Override
    public void resumeProducing() {
      paused = false;
      resumes++;
      fill();
    }

    @Override
    public void stopProducing() {}
  }

  /** Stops reading once it has seen anything, until told to go on. */
  static final class SlowReader extends Protocol {
    long received;

    @Override
    public void dataReceived(ByteBuffer data) {
      received += data.remaining();
      data.position(data.limit());
      transport().pauseProducing();
    }
  }

  @Test
  void tlsRunsInMemoryToo_startTlsOnBothEndsThenEchoEncrypted() {
    SelfSignedCertificate certificate = SelfSignedCertificate.generate("localhost", "127.0.0.1");
    ConnectedPair<Echo, Recorder> pair = ConnectedPair.connect(new Echo(), new Recorder());
    List<TlsInfo> sessions = new ArrayList<>();
    pair.server()
        .transport()
        .startTLS(TlsServerOptions.of(certificate.identity()))
        .addCallback(
            info -> {
              sessions.add(info);
              return null;
            });
    pair.client()
        .transport()
        .startTLS(
            TlsClientOptions.builder()
                .trust(certificate.trustRoots())
                .serverName("localhost")
                .build());
    pair.client().transport().write("sent before the handshake ended");
    while (pair.pump()) {
      // the handshake's flights, then the echo
    }
    assertThat(pair.client().received.toString()).isEqualTo("sent before the handshake ended");
    assertThat(sessions).hasSize(1);
    assertThat(sessions.get(0).serverName()).isEqualTo("localhost");
    assertThat(pair.client().transport().tls().peerCertificates())
        .containsExactly(certificate.certificate());
  }

  @Test
  void bytesTravelBothWaysThroughTheRealConnectionCode() {
    ConnectedPair<Echo, Recorder> pair = ConnectedPair.connect(new Echo(), new Recorder());
    assertThat(pair.client().events).containsExactly("made /127.0.0.1:54321 -> /127.0.0.1:8000");
    pair.client().transport().write("hello");
    assertThat(pair.client().received).as("nothing moves before the pump").isEmpty();
    assertThat(pair.pump()).isTrue();
    assertThat(pair.client().received.toString()).isEqualTo("hello");
    assertThat(pair.pump()).as("nothing left to do").isFalse();
  }

  @Test
  void closingFlushesFirstAndTheOtherSideHearsConnectionDone() {
    ConnectedPair<Recorder, Recorder> pair = ConnectedPair.connect(new Recorder(), new Recorder());
    pair.client().transport().write("last words");
    pair.client().transport().loseConnection();
    pair.pump();
    assertThat(pair.server().received.toString()).isEqualTo("last words");
    assertThat(pair.server().events).last().isEqualTo("lost ConnectionDone");
    assertThat(pair.client().events).last().isEqualTo("lost ConnectionDone");
  }

  @Test
  void aPeerThatStopsReadingPausesTheProducerAtTheWatermarkAndResumesItAfter() {
    ConnectedPair<Flood, SlowReader> pair = ConnectedPair.connect(new Flood(), new SlowReader());
    pair.pump();
    Flood flood = pair.server();
    assertThat(flood.paused).as("paused once the window and then the queue filled").isTrue();
    assertThat(flood.pauses).isGreaterThan(0);
    long queued = flood.transport().bufferedBytes();
    assertThat(queued)
        .as("still above the low watermark")
        .isGreaterThan(ReactorOptions.defaults().writeBufferLowWatermark());
    assertThat(flood.sent).isLessThan(16L * 1024 * 1024);

    pair.client().transport().resumeProducing(); // reads one more burst, then pauses again
    pair.pump();
    assertThat(pair.client().received).isGreaterThan(0);
    for (int i = 0; i < 10_000 && flood.sent < 16L * 1024 * 1024; i++) {
      pair.client().transport().resumeProducing();
      pair.pump();
    }
    assertThat(flood.resumes).as("resumed below the low watermark").isGreaterThan(0);
    assertThat(flood.sent).isEqualTo(16L * 1024 * 1024);
  }

  @Test
  void dataSentWhilePausedIsHeldAndDeliveredInOrderOnResume() {
    ConnectedPair<Recorder, Recorder> pair = ConnectedPair.connect(new Recorder(), new Recorder());
    pair.server().transport().pauseProducing();
    pair.client().transport().write("a");
    pair.pump();
    pair.client().transport().write("b");
    pair.pump();
    assertThat(pair.server().received).as("no dataReceived while paused").isEmpty();
    pair.server().transport().resumeProducing();
    pair.pump();
    assertThat(pair.server().received.toString()).isEqualTo("ab");
  }

  @Test
  void inMemoryReactorsListenAndConnectByPortWhenRun() throws Exception {
    try (BackgroundReactor background =
        BackgroundReactor.start(Reactor.create(ReactorOptions.defaults(), new MemoryTransport()))) {
      CompletableFuture<String> echoed = new CompletableFuture<>();
      Recorder client =
          new Recorder() {
            @Override
            public void dataReceived(ByteBuffer data) {
              super.dataReceived(data);
              if (received.length() >= 4) {
                echoed.complete(received.toString());
              }
            }
          };
      int port =
          background.call(
              () ->
                  background
                      .reactor()
                      .listenTCP(0, "127.0.0.1", Factory.of(Echo::new))
                      .getHost()
                      .getPort());
      background.call(
          () ->
              background
                  .reactor()
                  .connectTCP("127.0.0.1", port, Factory.of(() -> client))
                  .addCallback(
                      p -> {
                        p.transport().write("ping");
                        return null;
                      }));
      assertThat(echoed.get(5, TimeUnit.SECONDS)).isEqualTo("ping");
      assertThat(background.reactor().report().transport()).isEqualTo("memory");
    }
  }

  @Test
  void connectingToNoListenerIsRefused() throws Exception {
    try (BackgroundReactor background =
        BackgroundReactor.start(Reactor.create(ReactorOptions.defaults(), new MemoryTransport()))) {
      Throwable error =
          background
              .call(
                  () -> {
                    CompletableFuture<Throwable> failed = new CompletableFuture<>();
                    background
                        .reactor()
                        .connectTCP("127.0.0.1", 1, Factory.of(Recorder::new))
                        .addErrback(
                            f -> {
                              failed.complete(f.value());
                              return null;
                            });
                    return failed;
                  })
              .get(5, TimeUnit.SECONDS);
      assertThat(error).isInstanceOf(ConnectionRefusedError.class);
    }
  }
}
