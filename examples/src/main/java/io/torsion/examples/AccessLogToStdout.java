package io.torsion.examples;

import io.torsion.protocols.http.HttpOptions;
import java.io.PrintStream;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The demo's {@code --access-log}: the HTTP server's access log lines (logger {@value
 * HttpOptions#ACCESS_LOGGER}, through {@code System.Logger} and so {@code java.util.logging} by
 * default) printed on standard output, one per line, as web servers print them.
 */
final class AccessLogToStdout extends Handler {
  // Held here: java.util.logging keeps loggers weakly, and the handler must stay on this one.
  private static final Logger ACCESS = Logger.getLogger(HttpOptions.ACCESS_LOGGER);

  private final PrintStream out;

  private AccessLogToStdout(PrintStream out) {
    this.out = out;
  }

  /** Sends the access log to standard output instead of the default console handler. */
  static void install() {
    for (Handler installed : ACCESS.getHandlers()) {
      if (installed instanceof AccessLogToStdout) {
        ACCESS.removeHandler(installed); // a demo started again in this JVM: one handler
      }
    }
    ACCESS.setUseParentHandlers(false);
    ACCESS.setLevel(java.util.logging.Level.INFO); // asked for: whatever the root logger's level
    ACCESS.addHandler(new AccessLogToStdout(System.out));
  }

  @Override
  public void publish(LogRecord record) {
    out.println(record.getMessage());
  }

  @Override
  public void flush() {
    out.flush();
  }

  @Override
  public void close() {
    flush();
  }
}
