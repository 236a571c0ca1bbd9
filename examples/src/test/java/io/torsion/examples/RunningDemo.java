package io.torsion.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** A demo running on a thread of its own; closing it stops the reactor and waits for the thread. */
record RunningDemo(Demo demo, Thread main) implements AutoCloseable {
  /** Starts the demo with {@code args}, and on a free UDP port unless they name one. */
  static RunningDemo start(List<String> notices, String... given) throws Exception {
    String[] args =
        List.of(given).contains("--udp-port")
            ? given
            : Stream.concat(Stream.of(given), Stream.of("--udp-port", "0")).toArray(String[]::new);
    CompletableFuture<Demo> started = new CompletableFuture<>();
    Thread main =
        new Thread(
            () -> {
              try {
                Demo demo = Demo.start(Demo.Options.parse(args), notices);
                started.complete(demo);
                demo.reactor().run();
              } catch (Throwable e) {
                started.completeExceptionally(e);
              }
            });
    main.start();
    return new RunningDemo(started.get(30, TimeUnit.SECONDS), main);
  }

  /**
   * Returns the port the banner names {@code service} ({@code echo}, {@code line}, {@code http}).
   */
  int port(String service) {
    Matcher found = Pattern.compile(" " + service + "=\\S+:(\\d+)").matcher(demo.banner());
    assertThat(found.find()).as(demo.banner()).isTrue();
    return Integer.parseInt(found.group(1));
  }

  @Override
  public void close() {
    demo.reactor().stop();
    try {
      main.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    assertThat(main.isAlive()).as("the demo's thread ended").isFalse();
  }
}
