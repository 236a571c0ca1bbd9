package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.torsion.Factory;
import io.torsion.Reactor;
import io.torsion.ReactorOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ShoutServerTest {
  @Test
  @Timeout(30)
  void answersInCapitalsOverARealSocket() throws Exception {
    Reactor reactor = Reactor.create(ReactorOptions.builder().transport("nio").build());
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        port.complete(reactor.listenTCP(0, "127.0.0.1", Factory.of(ShoutServer::new)).port());
      } catch (Exception e) {
        port.completeExceptionally(e);
        return;
      }
      reactor.run();
    }, "reactor");
    thread.start();
    try (Socket socket = new Socket("127.0.0.1", port.get(10, TimeUnit.SECONDS))) {
      OutputStream out = socket.getOutputStream();
      out.write("hello torsion\r\n".getBytes(StandardCharsets.US_ASCII));
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      assertEquals("HELLO TORSION", in.readLine());
      assertEquals("nio", reactor.report().transport());
    } finally {
      reactor.callFromThread(reactor::stop);
      thread.join(10_000);
    }
  }
}
