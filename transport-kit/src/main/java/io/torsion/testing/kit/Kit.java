package io.torsion.testing.kit;

import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.Factory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The kit's static helpers: bounded waits, recorders and test data. */
public final class Kit {
  /** How long any wait of the kit lasts at most. */
  public static final long WAIT_SECONDS = 30;

  private Kit() {}

  /**
   * Returns a factory of recorders (echoing if {@code echo}) that also hands each one it builds to
   * {@code built}.
   */
  public static Factory<Recorder> recorders(BlockingQueue<Recorder> built, boolean echo) {
    return peer -> {
      Recorder recorder = new Recorder(echo);
      built.add(recorder);
      return recorder;
    };
  }

  /** Waits for {@code future}, at most {@value #WAIT_SECONDS} seconds. */
  public static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("nothing happened within " + WAIT_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Takes the next element of {@code queue}, waiting at most {@value #WAIT_SECONDS} seconds. */
  public static <T> T take(BlockingQueue<T> queue) throws InterruptedException {
    T next = queue.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(next).as("an element within %d s", WAIT_SECONDS).isNotNull();
    return next;
  }

  /** Returns {@code size} pseudo-random bytes from {@code seed}. */
  public static byte[] randomBytes(int size, long seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }

  /**
   * Connects from a source port bound first: an unbound connect to a just-closed local port may
   * pick that very number as its source port and connect to itself (TCP simultaneous open).
   */
  public static void connectFromBoundPort(int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
    }
  }
}
