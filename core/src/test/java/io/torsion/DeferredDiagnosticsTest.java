package io.torsion;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class DeferredDiagnosticsTest {
  /** Collects what Deferred logs. */
  private static final class Captured extends Handler {
    final List<LogRecord> records = new CopyOnWriteArrayList<>();

    @Override
    public void publish(LogRecord record) {
      records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  @Test
  void aCollectedDeferredHoldingAnUnhandledFailureIsLoggedAndAHandledOneIsNot() throws Exception {
    Logger logger = Logger.getLogger(Deferred.class.getName());
    Captured captured = new Captured();
    logger.addHandler(captured);
    Level old = logger.getLevel();
    logger.setLevel(Level.ALL);
    try {
      createUnhandled("nobody handles me");
      createHandled("an errback handles me");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (mentioning(captured, "nobody handles me").isEmpty() && System.nanoTime() < deadline) {
        System.gc(); // collection, not time, is what the Cleaner waits for
        Thread.onSpinWait();
      }
      System.gc();
      List<LogRecord> unhandled = mentioning(captured, "nobody handles me");
      assertThat(unhandled).as("the unhandled failure, logged once").hasSize(1);
      assertThat(unhandled.get(0).getLevel()).isEqualTo(Level.SEVERE);
      assertThat(unhandled.get(0).getMessage()).startsWith("Unhandled error in Deferred");
      assertThat(mentioning(captured, "an errback handles me"))
          .as("a handled failure is not logged")
          .isEmpty();
    } finally {
      logger.removeHandler(captured);
      logger.setLevel(old);
    }
  }

  private static List<LogRecord> mentioning(Captured captured, String text) {
    return captured.records.stream().filter(r -> r.getMessage().contains(text)).toList();
  }

  private static void createUnhandled(String message) {
    Deferred.fail(new IOException(message)).addCallback(x -> x);
  }

  private static void createHandled(String message) {
    Deferred.fail(new IOException(message)).addErrback(f -> null);
  }

  @Test
  void debugModeShowsWhereAFailingDeferredWasCreatedAndFired() throws Exception {
    Path javaHome = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child =
        new ProcessBuilder(
                javaHome.toString(),
                "-Dtorsion.deferred.debug=true",
                "-cp",
                System.getProperty("java.class.path"),
                DebugModeMain.class.getName())
            .redirectErrorStream(true)
            .start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(output)
        .contains("Deferred created here")
        .contains("DebugModeMain.createIt")
        .contains("Deferred fired here")
        .contains("DebugModeMain.fireIt")
        .contains("AlreadyCalledError")
        .contains("Caused by");
  }

  /** Run in a JVM of its own, with debug mode on. */
  static final class DebugModeMain {
    public static void main(String[] args) {
      Deferred<String> d = createIt();
      d.addCallback(
              value -> {
                throw new IllegalStateException("failed in a callback");
              })
          .addErrback(
              failure -> {
                failure.value().printStackTrace(System.out);
                return null;
              });
      fireIt(d);
      try {
        d.callback("again");
      } catch (AlreadyCalledError e) {
        e.printStackTrace(System.out);
      }
    }

    static Deferred<String> createIt() {
      return new Deferred<>();
    }

    static void fireIt(Deferred<String> d) {
      d.callback("value");
    }
  }
}
