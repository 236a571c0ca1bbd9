package io.torsion.protocols.line;

import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.BackgroundReactor;
import io.torsion.Deferred;
import io.torsion.Factory;
import io.torsion.Protocol;
import io.torsion.Reactor;
import io.torsion.ReactorOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Torsion's framing against real Twisted (Debian's python3-twisted), both ways. Skipped, with the
 * reason logged, where Twisted is not installed; {@code .ci/run} installs it.
 */
class TwistedInteropTest {
  private static final String PYTHON = "/usr/bin/python3";
  private static final List<String> LINES =
      List.of("hello", "", "a line with spaces", "x".repeat(10_000), "last");
  private static Path script;
  private BackgroundReactor background;
  private final List<Process> peers = new ArrayList<>();

  @BeforeAll
  static void requireTwisted() throws Exception {
    String why = null;
    try {
      Process probe =
          new ProcessBuilder(PYTHON, "-c", "import twisted").redirectErrorStream(true).start();
      if (!probe.waitFor(30, TimeUnit.SECONDS) || probe.exitValue() != 0) {
        why = "Twisted is not importable by " + PYTHON;
      }
    } catch (IOException e) {
      why = PYTHON + " cannot run: " + e.getMessage();
    }
    if (why != null) {
      System.getLogger("io.torsion.testing.kit")
          .log(
              System.Logger.Level.WARNING,
              "Skipping the Twisted interop tests: {0}; install Debian''s python3-twisted",
              why);
    }
    Assumptions.assumeTrue(why == null, () -> "Twisted interop skipped: install python3-twisted");
    script = Files.createTempFile("twisted_peer", ".py");
    try (var in = TwistedInteropTest.class.getResourceAsStream("/interop/twisted_peer.py")) {
      Files.write(script, in.readAllBytes());
    }
  }

  @BeforeEach
  void startReactor() {
    background = BackgroundReactor.start(Reactor.create(ReactorOptions.defaults()));
  }

  @AfterEach
  void stop() {
    peers.forEach(Process::destroyForcibly);
    background.close();
  }

  private Process twisted(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(PYTHON, script.toString()));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    peers.add(process);
    return process;
  }

  /** Shouts every line back. */
  static final class Shout extends LineReceiver {
    @Override
    public void lineReceived(String line) {
      sendLine(line.toUpperCase(Locale.ROOT));
    }
  }

  @Test
  void aTwistedLineClientTalksToATorsionLineServer() throws Exception {
    int port =
        background.call(
            () -> background.reactor().listenTCP(0, "127.0.0.1", Factory.of(Shout::new)).port());
    List<String> args = new ArrayList<>(List.of("line-client", Integer.toString(port)));
    args.addAll(LINES);
    args.add("héllo wörld");
    Process client = twisted(args.toArray(String[]::new));
    List<String> replies = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null && !line.equals("DONE")) {
        replies.add(line);
      }
    }
    List<String> expected = new ArrayList<>();
    for (String sent : args.subList(2, args.size())) {
      expected.add(sent.toUpperCase(Locale.ROOT));
    }
    assertThat(replies).containsExactlyElementsOf(expected);
  }

  private int serverPort(Process server) throws IOException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    return Integer.parseInt(out.readLine().trim());
  }

  /** Connects {@code client} to a Twisted server and collects the replies it gathers. */
  private <P extends Protocol> List<String> talkTo(
      String serverMode, Function<CompletableFuture<List<String>>, P> client) throws Exception {
    int port = serverPort(twisted(serverMode));
    CompletableFuture<List<String>> replies = new CompletableFuture<>();
    background.execute(
        () -> {
          Deferred<P> connected =
              background
                  .reactor()
                  .connectTCP("127.0.0.1", port, Factory.of(() -> client.apply(replies)));
          connected.addErrback(
              f -> {
                replies.completeExceptionally(f.value());
                return null;
              });
        });
    return replies.get(30, TimeUnit.SECONDS);
  }

  private static String reversed(String s) {
    return new StringBuilder(s).reverse().toString();
  }

  @Test
  void aTorsionLineClientTalksToATwistedLineServer() throws Exception {
    List<String> replies =
        talkTo(
            "line-server",
            done ->
                new LineReceiver() {
                  private final List<String> got = new ArrayList<>();

                  @Override
                  public void connectionMade() {
                    for (String line : LINES) {
                      sendLine(line);
                    }
                  }

                  @Override
                  public void lineReceived(String line) {
                    got.add(line);
                    if (got.size() == LINES.size()) {
                      done.complete(got);
                      transport().loseConnection();
                    }
                  }
                });
    assertThat(replies)
        .containsExactlyElementsOf(LINES.stream().map(TwistedInteropTest::reversed).toList());
  }

  /** Sends every string, gathers as many replies, then completes {@code done} and closes. */
  private static final class Exchange {
    private final List<String> strings;
    private final CompletableFuture<List<String>> done;
    private final List<String> got = new ArrayList<>();

    Exchange(List<String> strings, CompletableFuture<List<String>> done) {
      this.strings = strings;
      this.done = done;
    }

    void start(Consumer<byte[]> send) {
      strings.forEach(s -> send.accept(s.getBytes(StandardCharsets.UTF_8)));
    }

    void received(ByteBuffer string, Protocol protocol) {
      got.add(StandardCharsets.UTF_8.decode(string).toString());
      if (got.size() == strings.size()) {
        done.complete(got);
        protocol.transport().loseConnection();
      }
    }
  }

  @Test
  void torsionNetstringsAndInt32StringsTalkToTwisted() throws Exception {
    List<String> strings = List.of("one", "", "three,with:punctuation", "y".repeat(5000));
    List<String> netstrings =
        talkTo(
            "netstring-server",
            done ->
                new NetstringReceiver() {
                  private final Exchange exchange = new Exchange(strings, done);

                  @Override
                  public void connectionMade() {
                    exchange.start(this::sendString);
                  }

                  @Override
                  public void stringReceived(ByteBuffer string) {
                    exchange.received(string, this);
                  }
                });
    List<String> int32s =
        talkTo(
            "int32-server",
            done ->
                new Int32StringReceiver() {
                  private final Exchange exchange = new Exchange(strings, done);

                  @Override
                  public void connectionMade() {
                    exchange.start(this::sendString);
                  }

                  @Override
                  public void stringReceived(ByteBuffer string) {
                    exchange.received(string, this);
                  }
                });
    List<String> expected = strings.stream().map(TwistedInteropTest::reversed).toList();
    assertThat(netstrings).containsExactlyElementsOf(expected);
    assertThat(int32s).containsExactlyElementsOf(expected);
  }
}
