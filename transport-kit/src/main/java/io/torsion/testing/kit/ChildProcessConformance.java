package io.torsion.testing.kit;

import static io.torsion.testing.kit.Kit.await;
import static io.torsion.testing.kit.Kit.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torsion.BackgroundReactor;
import io.torsion.ProcessDone;
import io.torsion.ProcessEnded;
import io.torsion.ProcessTerminated;
import io.torsion.ProcessTransport;
import io.torsion.ReactorOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit's tests of child processes: output, exit status, signals, environment, and
 * stopping them.
 */
public interface ChildProcessConformance extends KitContext {

  private static void assumePosix() {
    Assumptions.assumeFalse(
        System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows"),
        "the process tests use POSIX tools (cat, sh, sleep)");
  }

  @Test
  default void processOutputOfSeveralMiBArrivesCompleteAndInOrder() throws Exception {
    assumePosix();
    byte[] input = randomBytes(4 * 1024 * 1024, 11);
    ProcessRecorder cat =
        new ProcessRecorder() {
          @Override
          public void connectionMade() {
            super.connectionMade();
            transport().write(input);
            transport().closeStdin();
          }
        };
    background().call(() -> reactor().spawnProcess(cat, List.of("cat"), null, null));
    assertThat(await(cat.ended)).isInstanceOf(ProcessDone.class);
    assertThat(Arrays.equals(cat.out.toByteArray(), input))
        .as("4 MiB through cat, intact")
        .isTrue();
    assertThat(cat.events)
        .startsWith("made")
        .endsWith("ended")
        .contains("out-eof", "err-eof", "exited");
    assertThat(cat.threads).allMatch(t -> t == background().thread());
  }

  @Test
  default void exitStatusAndStandardErrorAreReported() throws Exception {
    assumePosix();
    ProcessRecorder shell = new ProcessRecorder();
    background()
        .call(
            () ->
                reactor()
                    .spawnProcess(shell, List.of("sh", "-c", "echo oops >&2; exit 3"), null, null));
    ProcessEnded reason = await(shell.ended);
    assertThat(reason).isInstanceOf(ProcessTerminated.class);
    assertThat(reason.exitCode()).isEqualTo(3);
    assertThat(reason.signal()).isNull();
    assertThat(shell.err.toString(StandardCharsets.UTF_8)).isEqualTo("oops\n");
  }

  @Test
  default void aProcessKilledByASignalReportsTheSignal() throws Exception {
    assumePosix();
    ProcessRecorder sleeper = new ProcessRecorder();
    ProcessTransport process =
        background()
            .call(() -> reactor().spawnProcess(sleeper, List.of("sleep", "60"), null, null));
    background().execute(() -> process.signalProcess("KILL"));
    ProcessEnded reason = await(sleeper.ended);
    assertThat(reason).isInstanceOf(ProcessTerminated.class);
    assertThat(reason.signal()).isEqualTo("KILL");
    assertThatThrownBy(() -> background().execute(() -> process.signalProcess("TERM")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exited already");
  }

  @Test
  default void aProgramThatCannotStartFailsClearly() {
    assertThatThrownBy(
            () ->
                background()
                    .call(
                        () ->
                            reactor()
                                .spawnProcess(
                                    new ProcessRecorder(),
                                    List.of("/no/such/program"),
                                    null,
                                    null)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("/no/such/program");
  }

  @Test
  default void theEnvironmentAndWorkingDirectoryAreTheOnesGiven() throws Exception {
    assumePosix();
    ProcessRecorder shell = new ProcessRecorder();
    Path dir = Path.of(System.getProperty("java.io.tmpdir")).toRealPath();
    background()
        .call(
            () ->
                reactor()
                    .spawnProcess(
                        shell,
                        List.of("/bin/sh", "-c", "echo $GREETING; pwd"),
                        Map.of("GREETING", "hello"),
                        dir));
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
    BackgroundReactor own =
        BackgroundReactor.start(
            newReactor(
                options().toBuilder().childProcesses(ReactorOptions.ChildProcesses.WAIT).build()));
    own.call(
        () ->
            own.reactor()
                .spawnProcess(child, List.of("sh", "-c", "sleep 0.3; echo finished"), null, null));
    own.close();
    assertThat(child.ended).as("ended before run() returned").isDone();
    assertThat(await(child.ended)).isInstanceOf(ProcessDone.class);
    assertThat(child.out.toString(StandardCharsets.UTF_8)).isEqualTo("finished\n");
  }
}
