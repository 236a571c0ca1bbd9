package io.torsion.protocols.echo;

import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.BackgroundReactor;
import io.torsion.Factory;
import io.torsion.Reactor;
import io.torsion.ReactorOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EchoOverLoopbackTest {
  @Test
  void echoClientTalksToEchoServerThroughARealReactor() throws Exception {
    Reactor reactor = Reactor.create(ReactorOptions.builder().transport("nio").build());
    try (BackgroundReactor background = BackgroundReactor.start(reactor)) {
      int port =
          background.call(() -> reactor.listenTCP(0, "127.0.0.1", Factory.of(Echo::new)).port());
      CompletableFuture<String> reply = new CompletableFuture<>();
      background.execute(
          () ->
              reactor
                  .connectTCP("127.0.0.1", port, Factory.of(EchoClient::new))
                  .addCallbackDeferred(client -> client.send("ping over loopback"))
                  .addCallbacks(
                      reply::complete, failure -> reply.completeExceptionally(failure.value())));
      assertThat(reply.get(30, TimeUnit.SECONDS)).isEqualTo("ping over loopback");
    }
  }
}
