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

/** The conformance kit's tests of child processes: output, exit status, signals, environment, and stopping them. */
public interface ChildProcessConformance extends KitContext {

  private static void assumePosix() {
    Assumptions.assumeFalse(System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows"),
        "the process tests use POSIX tools (cat, sh, sleep)");
  }

  @Test
  default void processOutputOfSeveralMiBArrivesCompleteAndInOrder() throws Exception {
    assumePosix();
    byte[] input = randomBytes(4 * 1024 * 1024, 11);
    ProcessRecorder cat = new ProcessRecorder() {
      @Override
      public void connectionMade() {
        super.connectionMade();
        transport().write(input);
        transport().closeStdin();
      }
    };
    background().call(() -> reactor().spawnProcess(cat, List.of("cat"), null, null));
    assertThat(await(cat.ended)).isInstanceOf(io.torsion.ProcessDone.class);
    assertThat(Arrays.equals(cat.out.toByteArray(), input)).as("4 MiB through cat, intact").isTrue();
    assertThat(cat.events).startsWith("made").endsWith("ended").contains("out-eof", "err-eof", "exited");
    assertThat(cat.threads).allMatch(t -> t == background().thread());
  }

  @Test
  default void exitStatusAndStandardErrorAreReported() throws Exception {
    assumePosix();
    ProcessRecorder shell = new ProcessRecorder();
    background().call(() -> reactor().spawnProcess(shell, List.of("sh", "-c", "echo oops >&2; exit 3"), null, null));
    io.torsion.ProcessEnded reason = await(shell.ended);
    assertThat(reason).isInstanceOf(io.torsion.ProcessTerminated.class);
    assertThat(reason.exitCode()).isEqualTo(3);
    assertThat(reason.signal()).isNull();
    assertThat(shell.err.toString(StandardCharsets.UTF_8)).isEqualTo("oops\n");
  }

  @Test
  default void aProcessKilledByASignalReportsTheSignal() throws Exception {
    assumePosix();
    ProcessRecorder sleeper = new ProcessRecorder();
    io.torsion.ProcessTransport process =
        background().call(() -> reactor().spawnProcess(sleeper, List.of("sleep", "60"), null, null));
    background().execute(() -> process.signalProcess("KILL"));
    io.torsion.ProcessEnded reason = await(sleeper.ended);
    assertThat(reason).isInstanceOf(io.torsion.ProcessTerminated.class);
    assertThat(reason.signal()).isEqualTo("KILL");
    assertThatThrownBy(() -> background().execute(() -> process.signalProcess("TERM")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("exited already");
  }

  @Test
  default void aProgramThatCannotStartFailsClearly() {
    assertThatThrownBy(() -> background().call(() ->
            reactor().spawnProcess(new ProcessRecorder(), List.of("/no/such/program"), null, null)))
        .isInstanceOf(IOException.class).hasMessageContaining("/no/such/program");
  }

  @Test
  default void theEnvironmentAndWorkingDirectoryAreTheOnesGiven() throws Exception {
    assumePosix();
    ProcessRecorder shell = new ProcessRecorder();
    java.nio.file.Path dir = java.nio.file.Path.of(System.getProperty("java.io.tmpdir")).toRealPath();
    background().call(() -> reactor().spawnProcess(shell, List.of("/bin/sh", "-c", "echo $GREETING; pwd"),
        java.util.Map.of("GREETING", "hello"), dir));
    await(shell.ended);
    assertThat(shell.out.toString(StandardCharsets.UTF_8)).isEqualTo("hello\n" + dir + "\n");
  }

  @Test
  default void stopTerminatesRunningChildProcesses() throws Exception {
    assumePosix();
    ProcessRecorder sleeper = new ProcessRecorder();
    background().call(() -> reactor().spawnProcess(sleeper, List.of("sleep", "60"), null, null));
    background().close();
    assertThat(sleeper.ended).as("ended before run() returned").isDone();
    assertThat(await(sleeper.ended).signal()).isEqualTo("TERM");
  }

  @Test
  default void stopCanWaitForChildProcessesInsteadOfTerminatingThem() throws Exception {
    assumePosix();
    ProcessRecorder child = new ProcessRecorder();
    BackgroundReactor own = BackgroundReactor.start(newReactor(options().toBuilder()
        .childProcesses(ReactorOptions.ChildProcesses.WAIT).build()));
    own.call(() -> own.reactor().spawnProcess(child, List.of("sh", "-c", "sleep 0.3; echo finished"), null, null));
    own.close();
    assertThat(child.ended).as("ended before run() returned").isDone();
    assertThat(await(child.ended)).isInstanceOf(io.torsion.ProcessDone.class);
    assertThat(child.out.toString(StandardCharsets.UTF_8)).isEqualTo("finished\n");
  }
}
