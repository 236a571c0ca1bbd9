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

/** The conformance kit's tests of stopping: from any thread, from a callback, shutdown triggers, and the thread that runs the reactor. */
public interface StoppingConformance extends KitContext {

  /**
   * A stop request from another thread must never be lost, even when it races with the loop
   * going to sleep: repeated many times, a lost wakeup shows up as a reactor that does not stop.
   */
  @Test
  default void stopFromAnotherThreadAlwaysEndsRun() {
    for (int i = 0; i < 200; i++) {
      BackgroundReactor own = BackgroundReactor.start(newReactor());
      own.close(); // throws if run() does not return within the timeout
    }
  }

  @Test
  default void runningOnAnotherThreadThanTheOneThatSetItUpFailsWithAClearError() {
    Reactor own = newReactor();
    own.callLater(Duration.ofSeconds(1), () -> { }); // this thread now owns the reactor
    try {
      assertThatThrownBy(() -> BackgroundReactor.start(own))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("run() must be called on thread '" + Thread.currentThread().getName() + "'");
    } finally {
      own.stop();
    }
  }

  @Test
  default void stopFromACallbackEndsRun() {
    Reactor own = newReactor();
    CompletableFuture<Void> ran = CompletableFuture.runAsync(() -> {
      own.callLater(Duration.ofMillis(1), own::stop);
      own.run();
    });
    await(ran);
    assertThatThrownBy(own::run).isInstanceOf(IllegalStateException.class).hasMessageContaining("runs once");
  }

}
