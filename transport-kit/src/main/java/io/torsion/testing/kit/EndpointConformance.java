package io.torsion.testing.kit;

import static io.torsion.testing.kit.Kit.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.Factory;
import io.torsion.endpoints.EndpointPort;
import io.torsion.endpoints.Endpoints;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit's endpoint-string tests: a server and a client made from strings talk over
 * TCP, TLS (with PEM files the string names) and UNIX sockets, where the transport has them.
 */
public interface EndpointConformance extends KitContext {

  private void echoThrough(String server, String client) throws Exception {
    EndpointPort port =
        background()
            .call(
                () ->
                    Endpoints.server(reactor(), server)
                        .listen(Factory.of(() -> new Recorder(true))));
    String target = client.replace("PORT", port.describe().replaceAll(".*:", ""));
    Recorder asker = new Recorder(false);
    await(outcome(() -> Endpoints.client(reactor(), target).connect(Factory.of(() -> asker))));
    background().execute(() -> asker.transport().write("through an endpoint"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Kit.WAIT_SECONDS);
    long expected = "through an endpoint".length();
    while (asker.received.get() < expected && System.nanoTime() < deadline) {
      background().call(() -> null); // a turn of the reactor, not a sleep
    }
    assertThat(asker.received.get()).as(server + " / " + target).isEqualTo(expected);
    background().execute(() -> asker.transport().loseConnection());
    await(outcome(port::stopListening));
  }

  @Test
  default void tcpEndpointsListenAndConnect() throws Exception {
    EndpointPort port =
        background()
            .call(
                () ->
                    Endpoints.server(reactor(), "tcp:0:interface=127.0.0.1")
                        .listen(Factory.of(() -> new Recorder(true))));
    assertThat(port.address()).isInstanceOf(InetSocketAddress.class);
    assertThat(port.describe()).matches("127\\.0\\.0\\.1:\\d+");
    await(outcome(port::stopListening));
    echoThrough(
        "tcp:port=0:interface=127.0.0.1:backlog=16", "tcp:host=127.0.0.1:port=PORT:timeout=10");
  }

  @Test
  default void tlsEndpointsReadTheirPemFiles() throws Exception {
    Path dir = Files.createTempDirectory("torsion-kit-endpoints");
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    TlsFixtures.SERVER.writePem(cert, key);
    echoThrough(
        "tls:0:interface=127.0.0.1:certificate=" + cert + ":privateKey=" + key,
        "tls:localhost:PORT:trustRoots=" + cert);
  }

  @Test
  default void unixEndpointsListenAndConnect() throws Exception {
    Path dir = Files.createTempDirectory("torsion-kit-endpoints");
    Path socket = dir.resolve("service.sock");
    EndpointPort port;
    try {
      port =
          background()
              .call(
                  () ->
                      Endpoints.server(reactor(), "unix:" + socket + ":mode=600")
                          .listen(Factory.of(() -> new Recorder(true))));
    } catch (Exception e) {
      Assumptions.assumeFalse(
          String.valueOf(e.getMessage()).contains("no UNIX domain sockets"), e.getMessage());
      throw e;
    }
    assertThat(port.describe()).isEqualTo("unix:" + socket.toAbsolutePath());
    assertThat(port.address()).isEqualTo(UnixDomainSocketAddress.of(socket.toAbsolutePath()));
    assertThat(Files.getPosixFilePermissions(socket))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    await(outcome(port::stopListening));
    echoThrough("unix:" + socket, "unix:path=" + socket);
  }
}
