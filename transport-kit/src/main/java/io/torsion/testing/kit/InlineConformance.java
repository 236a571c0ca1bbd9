package io.torsion.testing.kit;

import static io.torsion.Inline.await;
import static io.torsion.testing.kit.Kit.WAIT_SECONDS;
import static io.torsion.testing.kit.Kit.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torsion.BackgroundReactor;
import io.torsion.CancelledError;
import io.torsion.Deferred;
import io.torsion.DeferredList;
import io.torsion.Factory;
import io.torsion.Inline;
import io.torsion.ListeningPort;
import io.torsion.Protocol;
import io.torsion.Reactor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit's tests of inline bodies ({@link Inline}): Twisted's inlineCallbacks
 * guarantees, and a body's transport calls on every transport (handed to the reactor thread, in
 * order with its own).
 */
public interface InlineConformance extends KitContext {

  @Test
  default void aBodyRunsAtOnceUntilItsFirstAwaitAndGoesOnWhenThatDeferredFires() {
    Deferred<String> greeting = new Deferred<>();
    List<String> steps = new ArrayList<>();
    Deferred<Integer> body =
        started(
            () -> {
              steps.add("started");
              String got = await(greeting);
              steps.add("got " + got);
              return got.length();
            });
    background()
        .execute(
            () -> {
              assertThat(steps).containsExactly("started");
              assertThat(body.called()).isFalse();
              greeting.callback("hello");
              assertThat(steps).containsExactly("started", "got hello");
              assertThat(body.called()).isTrue();
            });
    assertThat(await(outcome(() -> body))).isEqualTo(5);
  }

  @Test
  default void aDeferredThatHasAResultDoesNotSuspendTheBody() {
    Deferred<Integer> body =
        started(() -> await(Deferred.succeed(20)) + await(Deferred.succeed(22)));
    assertThat(background().call(body::called)).isTrue();
    assertThat(await(outcome(() -> body))).isEqualTo(42);
  }

  @Test
  default void theAwaitedDeferredKeepsNullAfterwardsAsInTwisted() {
    CompletableFuture<Object> after = new CompletableFuture<>();
    background()
        .execute(
            () -> {
              Deferred<String> d = Deferred.succeed("taken");
              Inline.run(reactor(), () -> await(d));
              d.addCallback(v -> after.complete(v));
            });
    assertThat(await(after)).isNull();
  }

  @Test
  default void aFailureThrowsAtTheAwaitAndCarriesTheBodysFrames() {
    CompletableFuture<String> caught = new CompletableFuture<>();
    CompletableFuture<Throwable> failed = new CompletableFuture<>();
    background()
        .execute(
            () -> {
              Deferred<String> later = new Deferred<>();
              Inline.run(
                      reactor(),
                      () -> {
                        try {
                          await(Deferred.fail(new IOException("refused")));
                        } catch (IOException e) {
                          caught.complete(e.getMessage());
                        }
                        return await(later); // now one that fails later, left uncaught
                      })
                  .addErrback(
                      f -> {
                        failed.complete(f.value());
                        return null;
                      });
              reactor().callLater(Duration.ZERO, () -> later.errback(new IOException("reset")));
            });
    assertThat(await(caught)).isEqualTo("refused");
    Throwable error = await(failed);
    assertThat(error).isInstanceOf(IOException.class).hasMessage("reset");
    // Made on the reactor thread, rethrown in the body: the suppressed trace has the body's frames.
    assertThat(error.getSuppressed()).isNotEmpty();
    assertThat(framesOf(error.getSuppressed()[0]))
        .anyMatch(frame -> frame.contains("aFailureThrowsAtTheAwaitAndCarriesTheBodysFrames"));
  }

  @Test
  default void anExceptionTheBodyThrowsFailsItsDeferredWithTheBodysFrames() {
    Throwable error =
        failureOf(
            outcome(
                () ->
                    Inline.run(
                        reactor(),
                        () -> {
                          await(later(Duration.ZERO, () -> null));
                          throw new IllegalStateException("broken invariant");
                        })));
    assertThat(error).isInstanceOf(IllegalStateException.class).hasMessage("broken invariant");
    assertThat(framesOf(error))
        .anyMatch(
            frame -> frame.contains("anExceptionTheBodyThrowsFailsItsDeferredWithTheBodysFrames"));
  }

  @Test
  default void cancellingCancelsTheAwaitedDeferredAndTheBodyMayRecover() {
    AtomicBoolean cancelledInner = new AtomicBoolean();
    Deferred<String> body =
        started(
            () -> {
              try {
                return await(new Deferred<String>(d -> cancelledInner.set(true)));
              } catch (CancelledError e) {
                return "recovered";
              }
            });
    background()
        .execute(
            () -> {
              body.cancel();
            });
    assertThat(cancelledInner).isTrue();
    assertThat(await(outcome(() -> body))).isEqualTo("recovered");
  }

  @Test
  default void aCancelledBodyThatAwaitsAgainFiresWithWhatItReturnsLater() {
    Deferred<String> cleanup = new Deferred<>();
    Deferred<String> body =
        started(
            () -> {
              try {
                return await(new Deferred<String>());
              } catch (CancelledError e) {
                return "cleaned up: " + await(cleanup);
              }
            });
    background()
        .execute(
            () -> {
              body.cancel();
              assertThat(body.called()).isTrue(); // as in Twisted: it now waits for the body
              assertThat(body.toString()).contains("waiting");
              cleanup.callback("done");
            });
    assertThat(await(outcome(() -> body))).isEqualTo("cleaned up: done");
  }

  @Test
  default void aCancelledBodyThatDoesNotCatchFailsWithCancelledError() {
    Deferred<String> body = started(() -> await(new Deferred<String>()));
    background()
        .execute(
            () -> {
              body.cancel();
            });
    assertThat(failureOf(outcome(() -> body))).isInstanceOf(CancelledError.class);
  }

  @Test
  default void bodiesAndTheReactorTakeTurnsAndSeeEachOthersWrites() {
    int bodies = 50;
    int rounds = 20;
    int[] shared = new int[1]; // plain memory: only the hand-offs order it
    AtomicBoolean busy = new AtomicBoolean();
    AtomicInteger overlaps = new AtomicInteger();
    Runnable touch =
        () -> {
          if (!busy.compareAndSet(false, true)) {
            overlaps.incrementAndGet();
          }
          shared[0]++;
          busy.set(false);
        };
    CompletableFuture<List<Integer>> all =
        outcome(
            () -> {
              List<Deferred<Integer>> started = new ArrayList<>();
              for (int b = 0; b < bodies; b++) {
                started.add(
                    Inline.run(
                        reactor(),
                        () -> {
                          for (int r = 0; r < rounds; r++) {
                            touch.run();
                            await(
                                later(
                                    Duration.ZERO,
                                    () -> {
                                      touch.run(); // on the reactor thread
                                      return null;
                                    }));
                          }
                          return rounds;
                        }));
              }
              return DeferredList.gatherResults(started);
            });
    assertThat(await(all)).hasSize(bodies);
    assertThat(overlaps).hasValue(0);
    assertThat(background().call(() -> shared[0])).isEqualTo(2 * bodies * rounds);
  }

  @Test
  default void aBodyWritesAndClosesOnARealConnectionInOrderWithTheReactorsWrites()
      throws IOException {
    int port =
        listen(
            Factory.of(
                () ->
                    new Protocol() {
                      @Override
                      public void dataReceived(ByteBuffer data) {
                        Inline.run(
                            reactor(),
                            () -> {
                              transport().write(bytes("a"));
                              await(later(Duration.ofMillis(1), () -> null));
                              transport().write(bytes("c"));
                              transport().loseConnection();
                              return null;
                            });
                        transport().write(bytes("b")); // after the body's first write
                      }
                    }));
    try (Peer peer = Peer.connect(port)) {
      peer.write("go");
      assertThat(new String(peer.readToEnd(), StandardCharsets.US_ASCII)).isEqualTo("abc");
    }
  }

  @Test
  default void withSeveralThreadsABodyHoldsTheLoopOfItsConnection() throws Exception {
    int connections = 32;
    try (BackgroundReactor own =
        BackgroundReactor.start(newReactor(options().toBuilder().threads(2).build()))) {
      Reactor reactor = own.reactor();
      int port =
          own.call(
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
                                      Thread loop = Thread.currentThread();
                                      Inline.run(
                                          reactor,
                                          () -> {
                                            Deferred<Thread> timer = new Deferred<>();
                                            reactor.callLater(
                                                Duration.ofMillis(1),
                                                () -> timer.callback(Thread.currentThread()));
                                            boolean same = await(timer) == loop;
                                            transport().write(bytes(same ? "same" : "othr"));
                                            transport().loseConnection();
                                            return null;
                                          });
                                    }
                                  }))
                      .port());
      for (int i = 0; i < connections; i++) {
        try (Peer peer = Peer.connect(port)) {
          peer.write("go");
          assertThat(new String(peer.readToEnd(), StandardCharsets.US_ASCII)).isEqualTo("same");
        }
      }
    }
  }

  @Test
  default void anInterruptInTheBodyIsKeptAcrossAnAwait() {
    Deferred<String> later = new Deferred<>();
    Deferred<Boolean> body =
        started(
            () -> {
              Thread.currentThread().interrupt();
              await(later);
              return Thread.interrupted();
            });
    background()
        .execute(
            () -> {
              later.callback("x");
            });
    assertThat(await(outcome(() -> body))).isTrue();
  }

  @Test
  default void aBodyListensConnectsAndStopsListeningThroughTheReactor() throws Exception {
    CompletableFuture<String> result =
        outcome(
            () ->
                Inline.run(
                    reactor(),
                    () -> {
                      ListeningPort port =
                          reactor()
                              .listenTCP(
                                  0,
                                  "127.0.0.1",
                                  Factory.of(
                                      () ->
                                          new Protocol() {
                                            @Override
                                            public void connectionMade() {
                                              transport().write(bytes("hi from the port"));
                                              transport().loseConnection();
                                            }
                                          }));
                      Recorder client =
                          await(
                              reactor()
                                  .connectTCP(
                                      "127.0.0.1",
                                      port.getHost().getPort(),
                                      Factory.of(() -> new Recorder(false))));
                      await(later(Duration.ZERO, () -> null));
                      await(port.stopListening());
                      return "connected: " + client.transport().getPeer();
                    }));
    assertThat(await(result)).startsWith("connected: ");
  }

  @Test
  default void aDeferredFiredOffTheReactorThreadStillResumesTheBodyOnIt() {
    CompletableFuture<Thread> resumedOn = new CompletableFuture<>();
    Deferred<String> fromElsewhere = new Deferred<>();
    background()
        .execute(
            () ->
                Inline.run(
                    reactor(),
                    () -> {
                      await(fromElsewhere);
                      resumedOn.complete(Thread.currentThread());
                      return null;
                    }));
    background().call(() -> null); // the body is waiting
    fromElsewhere.callback("a misuse the body survives");
    Thread body = await(resumedOn);
    assertThat(body).isNotSameAs(Thread.currentThread());
    assertThat(body.getName()).startsWith("torsion-inline-");
  }

  @Test
  default void nestedBodiesHandValuesAndFailuresUp() {
    CompletableFuture<String> result =
        outcome(
            () ->
                Inline.run(
                    reactor(),
                    () -> {
                      String inner =
                          await(
                              Inline.run(
                                  reactor(),
                                  () -> "inner " + await(later(Duration.ZERO, () -> "value"))));
                      try {
                        await(
                            Inline.run(
                                reactor(),
                                () -> {
                                  await(later(Duration.ZERO, () -> null));
                                  throw new IOException("inner failure");
                                }));
                        return "not reached";
                      } catch (IOException e) {
                        return inner + ", then " + e.getMessage();
                      }
                    }));
    assertThat(await(result)).isEqualTo("inner value, then inner failure");
  }

  @Test
  default void manyBodiesCanWaitAtOnce() {
    int bodies = virtualThreads() ? 10_000 : 1_000;
    List<Deferred<Integer>> gates = new ArrayList<>();
    CompletableFuture<List<Integer>> all =
        outcome(
            () -> {
              List<Deferred<Integer>> started = new ArrayList<>();
              for (int i = 0; i < bodies; i++) {
                Deferred<Integer> gate = new Deferred<>();
                gates.add(gate);
                started.add(Inline.run(reactor(), () -> await(gate) + 1));
              }
              return DeferredList.gatherResults(started);
            });
    background()
        .execute(
            () -> {
              for (int i = 0; i < gates.size(); i++) {
                gates.get(i).callback(i);
              }
            });
    List<Integer> results = await(all);
    assertThat(results).hasSize(bodies);
    assertThat(results.get(bodies - 1)).isEqualTo(bodies);
  }

  @Test
  default void stoppingTheReactorLetsAWaitingBodyGo() {
    CompletableFuture<Throwable> atAwait = new CompletableFuture<>();
    Reactor other = newReactor();
    BackgroundReactor running = BackgroundReactor.start(other);
    running.execute(
        () ->
            Inline.run(
                other,
                () -> {
                  try {
                    return await(new Deferred<String>());
                  } catch (Throwable e) {
                    atAwait.complete(e);
                    throw e;
                  }
                }));
    running.call(() -> null);
    running.close();
    assertThat(await(atAwait))
        .isInstanceOf(CancelledError.class)
        .hasMessageContaining("reactor stopped");
  }

  @Test
  default void awaitOutsideABodyAndRunOffTheReactorThreadAreRefused() {
    assertThatThrownBy(() -> await(Deferred.succeed(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("outside an inline body");
    assertThatThrownBy(() -> Inline.run(reactor(), () -> 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Inline.run must be called on a reactor thread");
  }

  /** Starts {@code body} on the reactor thread and returns its Deferred. */
  private <T> Deferred<T> started(Inline.Body<T> body) {
    return background().call(() -> Inline.run(reactor(), body));
  }

  /** Twisted's deferLater: a Deferred that fires with what {@code work} returns, later. */
  private <T> Deferred<T> later(Duration delay, Callable<T> work) {
    Deferred<T> d = new Deferred<>();
    reactor()
        .callLater(
            delay,
            () -> {
              try {
                d.callback(work.call());
              } catch (Exception e) {
                d.errback(e);
              }
            });
    return d;
  }

  private static Throwable failureOf(CompletableFuture<?> result) {
    try {
      result.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (CancellationException e) {
      // A CancelledError is one: the future throws it as it is (Java 23+ wraps it)
      return e.getCause() instanceof CancelledError cancelled ? cancelled : e;
    } catch (Exception e) {
      throw new AssertionError("no failure: " + e, e);
    }
    throw new AssertionError("succeeded: " + result);
  }

  private static ByteBuffer bytes(String text) {
    return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
  }

  private static List<String> framesOf(Throwable error) {
    return Arrays.stream(error.getStackTrace()).map(StackTraceElement::toString).toList();
  }

  private static boolean virtualThreads() {
    try {
      Thread.class.getMethod("ofVirtual");
      return !Boolean.getBoolean("torsion.inline.platformThreads");
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
