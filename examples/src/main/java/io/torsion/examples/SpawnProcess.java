package io.torsion.examples;

import io.torsion.Deferred;
import io.torsion.ProcessEnded;
import io.torsion.ProcessProtocol;
import io.torsion.Reactor;
import io.torsion.ReactorProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A child process the reactor's way: feed it input, collect its output as it arrives, and learn how
 * it ended, all on the reactor thread and without blocking it.
 */
public final class SpawnProcess {
  /** What a process printed and how it ended. */
  record Outcome(String output, int exitCode) {}

  private SpawnProcess() {}

  /** Runs {@code argv} with {@code input} on its stdin; the Deferred fires when it has ended. */
  static Deferred<Outcome> run(ReactorProcess processes, List<String> argv, String input)
      throws IOException {
    Deferred<Outcome> done = new Deferred<>();
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    processes.spawnProcess(
        new ProcessProtocol() {
          @Override
          public void connectionMade() {
            transport().write(input.getBytes(StandardCharsets.UTF_8));
            transport().closeStdin();
          }

          @Override
          public void outReceived(ByteBuffer data) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            output.writeBytes(bytes);
          }

          @Override
          public void processEnded(ProcessEnded reason) {
            done.callback(new Outcome(output.toString(StandardCharsets.UTF_8), reason.exitCode()));
          }
        },
        argv,
        null,
        null);
    return done;
  }

  /** Sorts three words with {@code sort} and prints them. */
  public static void main(String[] args) throws IOException {
    Reactor reactor = Reactor.create();
    run(reactor, List.of("sort"), "pear\napple\nfig\n")
        .addCallbacks(
            outcome -> {
              System.out.print(outcome.output());
              System.out.println("sort exited with " + outcome.exitCode());
              reactor.stop();
              return null;
            },
            failure -> {
              System.out.println("failed: " + failure.message());
              reactor.stop();
              return null;
            });
    reactor.run();
  }
}
