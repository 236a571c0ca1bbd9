package io.torsion.protocols.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.torsion.BackgroundReactor;
import io.torsion.Deferred;
import io.torsion.Factory;
import io.torsion.Protocol;
import io.torsion.Reactor;
import io.torsion.ReactorOptions;
import io.torsion.TimeoutError;
import io.torsion.testing.RedisServer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client against a real redis-server, and against fake servers that misbehave. */
@Timeout(60)
class RedisClientTest {
  private RedisServer redis;
  private BackgroundReactor background;
  private Reactor reactor;

  @BeforeEach
  void start() throws Exception {
    String missing = RedisServer.requirePresent();
    assumeTrue(missing == null, missing);
    redis = RedisServer.start();
    background = BackgroundReactor.start(Reactor.create(ReactorOptions.defaults()));
    reactor = background.reactor();
  }

  @AfterEach
  void stop() {
    if (background != null) {
      background.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  private RedisClient client(String uri, RedisOptions options) {
    return background.call(() -> RedisClient.create(reactor, uri, options));
  }

  private RedisClient client() {
    return client(redis.uri(), RedisOptions.defaults());
  }

  /** Runs {@code call} on the reactor thread and waits for the Deferred it returns. */
  private <T> T await(Supplier<Deferred<T>> call) throws Exception {
    CompletableFuture<T> result = background.call(() -> call.get().toCompletableFuture());
    try {
      return result.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  @Test
  void commandsAnswerWithTypedReplies() throws Exception {
    RedisClient client = client();
    assertThat(await(() -> client.set("greeting", "h\u00e9llo"))).isNull();
    assertThat(await(() -> client.get("greeting"))).isEqualTo("h\u00e9llo");
    assertThat(await(() -> client.get("nothing"))).isNull();
    assertThat(await(() -> client.incr("counter"))).isEqualTo(1L);
    assertThat(await(() -> client.command("RPUSH", "list", "a", "b", 3))).isEqualTo(3L);
    assertThat(await(() -> client.command("LRANGE", "list", 0, -1)))
        .isEqualTo(List.of("a", "b", "3"));
    assertThat(await(() -> client.command("HSET", "hash", "f", "v"))).isEqualTo(1L);
    assertThat(await(() -> client.command("HGETALL", "hash"))).isEqualTo(List.of("f", "v"));
    assertThat(await(() -> client.del("greeting", "nothing"))).isEqualTo(1L);
    byte[] binary = {0, (byte) 0xff, '\r', '\n'};
    await(() -> client.command("SET", "bin", binary));
    assertThat((byte[]) await(() -> client.commandBytes("GET", "bin"))).containsExactly(binary);
    assertThat(background.call(client::connected)).isTrue();
  }

  @Test
  void anErrorReplyFailsItsCommandOnlyAndExecKeepsErrorsAsElements() throws Exception {
    RedisClient client = client();
    await(() -> client.set("text", "x"));
    assertThatThrownBy(() -> await(() -> client.incr("text")))
        .isInstanceOf(RedisError.class)
        .hasMessageContaining("not an integer")
        .satisfies(e -> assertThat(((RedisError) e).kind()).isEqualTo("ERR"));
    assertThatThrownBy(() -> await(() -> client.command("LPUSH", "text", "y")))
        .isInstanceOf(RedisError.class)
        .satisfies(e -> assertThat(((RedisError) e).kind()).isEqualTo("WRONGTYPE"));
    assertThatThrownBy(() -> await(() -> client.command("NOSUCHCOMMAND")))
        .isInstanceOf(RedisError.class)
        .hasMessageContaining("unknown command");
    List<?> exec =
        await(
            () -> {
              client.command("MULTI");
              client.command("INCR", "n");
              client.command("INCR", "text");
              return client.command("EXEC").addCallback(v -> (List<?>) v);
            });
    assertThat(exec.get(0)).isEqualTo(1L);
    assertThat(exec.get(1)).isInstanceOf(RedisError.class);
    assertThat(await(() -> client.get("text"))).isEqualTo("x"); // the connection went on
  }

  @Test
  void tenThousandPipelinedCommandsAnswerInOrder() throws Exception {
    RedisClient client = client();
    int count = 10_000;
    List<Long> replies =
        await(
            () -> {
              List<Deferred<Long>> all = new ArrayList<>();
              for (int i = 0; i < count; i++) {
                all.add(client.incr("seq"));
              }
              return io.torsion.DeferredList.gatherResults(all);
            });
    for (int i = 0; i < count; i++) {
      assertThat(replies.get(i)).isEqualTo(i + 1L);
    }
  }

  @Test
  void aCancelledCommandKeepsItsPlaceSoTheRepliesAfterItGoToTheirOwnCommands() throws Exception {
    RedisClient client = client();
    await(() -> client.set("k", "v"));
    List<Deferred<Object>> slow = new ArrayList<>();
    String after =
        await(
            () -> {
              slow.add(client.command("ECHO", "not yours")); // sent; its reply is on the way
              slow.get(0).cancel();
              return client.get("k");
            });
    assertThat(after).isEqualTo("v");
    assertThatThrownBy(() -> await(() -> slow.get(0)))
        .isInstanceOf(io.torsion.CancelledError.class);
    assertThat(await(() -> client.incr("n"))).isEqualTo(1L); // and the connection goes on
  }

  @Test
  void resp3RepliesAreMapsDoublesAndBooleans() throws Exception {
    RedisClient client = client(redis.uri(), RedisOptions.builder().protocol(3).build());
    await(() -> client.command("HSET", "hash", "f", "v", "g", "w"));
    assertThat(await(() -> client.command("HGETALL", "hash")))
        .isEqualTo(Map.of("f", "v", "g", "w"));
    await(() -> client.command("ZADD", "z", "1.5", "m"));
    assertThat(await(() -> client.command("ZSCORE", "z", "m"))).isEqualTo(1.5);
    assertThat(await(() -> client.get("none"))).isNull();
  }

  @Test
  void pubSubDeliversMessagesToChannelAndPatternListenersUntilUnsubscribed() throws Exception {
    RedisClient client = client();
    LinkedBlockingQueue<String> heard = new LinkedBlockingQueue<>();
    Subscription news =
        await(() -> client.subscribe("news", message -> heard.add("news:" + message)));
    Subscription all =
        await(
            () ->
                client.psubscribe(
                    "board.*", (channel, message) -> heard.add(channel + "=" + message)));
    assertThat(news.channel()).isEqualTo("news");
    assertThat(await(() -> client.publish("news", "first"))).isEqualTo(1L);
    assertThat(heard.poll(10, TimeUnit.SECONDS)).isEqualTo("news:first");
    assertThat(await(() -> client.publish("board.a", "1"))).isEqualTo(1L);
    assertThat(heard.poll(10, TimeUnit.SECONDS)).isEqualTo("board.a=1");
    await(news::unsubscribe);
    await(all::unsubscribe);
    // Both unsubscribes were sent before this PING on the same connection: once the server has
    // answered commands sent after them, nobody is subscribed.
    await(() -> client.command("PING"));
    assertThat(await(() -> client.command("PUBSUB", "NUMSUB", "news")))
        .isEqualTo(List.of("news", 0L));
    assertThat(heard).isEmpty();
  }

  @Test
  void aPasswordFromTheUriAndAWrongOneFailingFast() throws Exception {
    redis.close();
    redis = RedisServer.start(List.of("--requirepass", "s3cret"));
    String uri = "redis://:s3cret@127.0.0.1:" + redis.port() + "/2";
    RedisClient client = client(uri, RedisOptions.defaults());
    await(() -> client.set("k", "in db 2"));
    RedisClient three = client(uri, RedisOptions.builder().protocol(3).build());
    assertThat(await(() -> three.get("k"))).isEqualTo("in db 2");
    RedisClient wrong = client("redis://:nope@127.0.0.1:" + redis.port(), RedisOptions.defaults());
    assertThatThrownBy(() -> await(() -> wrong.get("k")))
        .isInstanceOf(RedisConnectionError.class)
        .hasMessageContaining("AUTH failed")
        .hasMessageNotContaining("nope");
    assertThat(background.call(wrong::toString)).doesNotContain("nope");
  }

  @Test
  void afterARestartTheClientReconnectsAndResubscribes() throws Exception {
    RedisOptions quick =
        RedisOptions.builder()
            .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(200))
            .build();
    RedisClient client = client(redis.uri(), quick);
    LinkedBlockingQueue<String> heard = new LinkedBlockingQueue<>();
    await(() -> client.subscribe("news", heard::add));
    await(() -> client.set("k", "v"));
    redis = redis.restart();
    // The first command after the restart may find the old connection gone; then it fails with
    // RedisConnectionError, and one of the next ones is sent on the new connection.
    String value = null;
    for (int i = 0; i < 100 && value == null; i++) {
      try {
        await(() -> client.set("k", "again"));
        value = await(() -> client.get("k"));
      } catch (RedisConnectionError | TimeoutError lost) {
        // lost with the old connection: try again
      }
    }
    assertThat(value).isEqualTo("again");
    // The subscription comes back with the new subscriber connection.
    long receivers = 0;
    for (int i = 0; i < 200 && receivers == 0; i++) {
      receivers = await(() -> client.publish("news", "back"));
      if (receivers == 0) {
        background.call(() -> null); // a turn of the reactor; the resubscribe is under way
        await(() -> client.command("PING"));
      }
    }
    assertThat(receivers).isEqualTo(1L);
    assertThat(heard.poll(10, TimeUnit.SECONDS)).isEqualTo("back");
  }

  @Test
  void redissSpeaksTlsVerifiesTheServerAndRefusesOneItCannotTrust(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    io.torsion.tls.SelfSignedCertificate certificate =
        io.torsion.tls.SelfSignedCertificate.generate("127.0.0.1");
    java.nio.file.Path cert = dir.resolve("cert.pem");
    java.nio.file.Path key = dir.resolve("key.pem");
    certificate.writePem(cert, key);
    try (RedisServer secure = RedisServer.startTls(cert, key)) {
      assertThat(secure.uri()).startsWith("rediss://");
      RedisOptions trusting =
          RedisOptions.builder()
              .tls(
                  io.torsion.tls.TlsClientOptions.builder().trust(certificate.trustRoots()).build())
              .build();
      RedisClient client = client(secure.uri(), trusting);
      await(() -> client.set("over", "tls"));
      assertThat(await(() -> client.get("over"))).isEqualTo("tls");
      LinkedBlockingQueue<String> heard = new LinkedBlockingQueue<>();
      await(() -> client.subscribe("news", heard::add));
      await(() -> client.publish("news", "encrypted"));
      assertThat(heard.poll(10, TimeUnit.SECONDS)).isEqualTo("encrypted");

      // The JDK's roots do not know this certificate: no connection, and the reason is given.
      RedisClient doubting =
          client(
              secure.uri(), RedisOptions.builder().commandTimeout(Duration.ofSeconds(2)).build());
      assertThatThrownBy(() -> await(() -> doubting.get("over")))
          .isInstanceOf(TimeoutError.class)
          .hasMessageContaining("no connection to rediss://127.0.0.1:" + secure.port())
          .hasMessageContaining("last attempt");
    }
  }

  /** A fake server: each connection is answered by {@code reply} (null: never). */
  private int fakeServer(byte[] reply) {
    return background.call(
        () ->
            reactor
                .listenTCP(
                    0,
                    "127.0.0.1",
                    Factory.of(
                        () ->
                            new Protocol() {
                              @Override
                              public void dataReceived(ByteBuffer data) {
                                if (reply != null) {
                                  transport().write(ByteBuffer.wrap(reply));
                                }
                              }
                            }))
                .port());
  }

  @Test
  void aSilentServerTimesTheCommandOutAndTheConnectionIsDropped() throws Exception {
    int port = fakeServer(null);
    RedisClient client =
        client(
            "redis://127.0.0.1:" + port,
            RedisOptions.builder().commandTimeout(Duration.ofMillis(100)).maxPending(2).build());
    List<Deferred<String>> held = new ArrayList<>();
    background.call(
        () -> {
          held.add(client.get("a"));
          held.add(client.get("b"));
          return null;
        });
    assertThatThrownBy(() -> await(() -> client.get("c")))
        .isInstanceOf(RedisConnectionError.class)
        .hasMessageContaining("2 commands already wait");
    assertThatThrownBy(() -> await(() -> held.get(0)))
        .isInstanceOf(TimeoutError.class)
        .hasMessageContaining("GET: no reply from redis://127.0.0.1:" + port + " within 100 ms");
    assertThatThrownBy(() -> await(() -> held.get(1)))
        .isInstanceOfAny(TimeoutError.class, RedisConnectionError.class);
  }

  @Test
  void bytesThatAreNotRespFailTheCommandWithAProtocolError() throws Exception {
    int port = fakeServer("?garbage\r\n".getBytes(StandardCharsets.US_ASCII));
    RedisClient client = client("redis://127.0.0.1:" + port, RedisOptions.defaults());
    assertThatThrownBy(() -> await(() -> client.get("a")))
        .isInstanceOf(RedisProtocolError.class)
        .hasMessageContaining("a reply that starts with '?'");
    int big = fakeServer("$999999999\r\n".getBytes(StandardCharsets.US_ASCII));
    RedisClient limited = client("redis://127.0.0.1:" + big, RedisOptions.defaults());
    assertThatThrownBy(() -> await(() -> limited.get("a")))
        .isInstanceOf(RedisProtocolError.class)
        .hasMessageContaining("over the limit of " + (64L << 20));
  }

  @Test
  void noServerTimesOutWithTheReasonAndCloseFailsWhatWaits() throws Exception {
    int port =
        background.call(
            () -> {
              var listening =
                  reactor.listenTCP(0, "127.0.0.1", Factory.of(() -> new Protocol() {}));
              int p = listening.port();
              listening.stopListening();
              return p;
            });
    RedisClient client =
        client(
            "redis://127.0.0.1:" + port,
            RedisOptions.builder().commandTimeout(Duration.ofMillis(300)).build());
    assertThatThrownBy(() -> await(() -> client.get("a")))
        .isInstanceOf(TimeoutError.class)
        .hasMessageContaining("no connection to redis://127.0.0.1:" + port);
    List<Deferred<String>> waiting = new ArrayList<>();
    await(
        () -> {
          waiting.add(client.get("b"));
          return client.close();
        });
    assertThatThrownBy(() -> await(() -> waiting.get(0)))
        .isInstanceOf(RedisConnectionError.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> client.get("c")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> RedisClient.create(reactor, "http://x"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
