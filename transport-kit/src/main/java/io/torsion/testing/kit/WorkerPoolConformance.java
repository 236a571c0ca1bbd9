package io.torsion.testing.kit;

import static io.torsion.testing.kit.Kit.await;
import static io.torsion.testing.kit.Kit.randomBytes;
import static io.torsion.testing.kit.Kit.recorders;
import static io.torsion.testing.kit.Kit.WAIT_SECONDS;
import static io.torsion.testing.kit.Kit.take;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torsion.CannotListenError;
import io.torsion.ConnectionAborted;
import io.torsion.ConnectionClosed;
import io.torsion.ConnectionDone;
import io.torsion.ConnectionLost;
import io.torsion.ConnectionRefusedError;
import io.torsion.DNSLookupError;
import io.torsion.DelayedCall;
import io.torsion.Deferred;
import io.torsion.Factory;
import io.torsion.HalfCloseableProtocol;
import io.torsion.ListeningPort;
import io.torsion.Protocol;
import io.torsion.Reactor;
import io.torsion.ReactorOptions;
import io.torsion.ReactorReport;
import io.torsion.SystemEvent;
import io.torsion.TriggerPhase;
import io.torsion.spi.Availability;
import io.torsion.spi.ReactorProvider;
import io.torsion.BackgroundReactor;
import io.torsion.posix.FileDescriptorLimit;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** The conformance kit's tests of the worker pool: deferToThread, callInThread, blockingCallFromThread, timeouts on the reactor clock. */
public interface WorkerPoolConformance extends KitContext {

  @Test
  default void deferToThreadRunsWorkOnAPoolThreadAndFiresOnTheReactorThread() {
    CompletableFuture<Thread> worker = new CompletableFuture<>();
    CompletableFuture<Thread> firedOn = new CompletableFuture<>();
    CompletableFuture<String> value = new CompletableFuture<>();
    background().execute(() -> reactor().deferToThread(() -> {
      worker.complete(Thread.currentThread());
      return "computed";
    }).addCallback(v -> {
      firedOn.complete(Thread.currentThread());
      value.complete(v);
      return null;
    }));
    assertThat(await(value)).isEqualTo("computed");
    assertThat(await(worker).getName()).startsWith("torsion-pool-");
    assertThat(await(firedOn)).isSameAs(background().thread());
  }

  @Test
  default void deferToThreadCarriesWhatTheWorkThrows() {
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    background().execute(() -> reactor().deferToThread(() -> {
      throw new IOException("disk on fire");
    }).addErrback(f -> {
      failure.complete(f.value());
      return null;
    }));
    assertThat(await(failure)).isInstanceOf(IOException.class).hasMessage("disk on fire");
  }

  @Test
  default void suggestThreadPoolSizeLetsThatManyTasksRunAtOnce() throws Exception {
    reactor().suggestThreadPoolSize(3);
    CountDownLatch together = new CountDownLatch(3);
    List<CompletableFuture<Boolean>> tasks = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      CompletableFuture<Boolean> met = new CompletableFuture<>();
      tasks.add(met);
      reactor().callInThread(() -> {
        together.countDown();
        try {
          met.complete(together.await(WAIT_SECONDS, TimeUnit.SECONDS)); // only if all three run at once
        } catch (InterruptedException e) {
          met.completeExceptionally(e);
        }
      });
    }
    for (CompletableFuture<Boolean> task : tasks) {
      assertThat(await(task)).isTrue();
    }
  }

  @Test
  default void blockingCallFromThreadLetsOtherThreadsWriteSequentialCode() throws Exception {
    String reply = reactor().blockingCallFromThread(() -> {
      Deferred<String> later = new Deferred<>();
      reactor().callLater(Duration.ofMillis(5), () -> later.callback("from the reactor"));
      return later;
    });
    assertThat(reply).isEqualTo("from the reactor");
    assertThatThrownBy(() -> reactor().blockingCallFromThread(() -> Deferred.fail(new IOException("refused"))))
        .isInstanceOf(IOException.class).hasMessage("refused");
  }

  @Test
  default void blockingCallFromThreadIsRefusedOnTheReactorThread() {
    assertThatThrownBy(() -> background().call(() -> reactor().blockingCallFromThread(() -> Deferred.succeed(1))))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("wait for itself");
  }

  @Test
  default void aDeferredTimesOutOnTheReactorsClock() {
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    background().execute(() -> new Deferred<String>().addTimeout(Duration.ofMillis(20), reactor()).addErrback(f -> {
      failure.complete(f.value());
      return null;
    }));
    assertThat(await(failure)).isInstanceOf(io.torsion.TimeoutError.class);
  }
}
