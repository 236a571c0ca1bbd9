package io.torsion.protocols.http;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Gathers what one logger logs through the JDK's default {@link System.Logger} backend, for tests
 * of what is logged at which level; {@link #close} restores the logger.
 */
final class LogLines extends Handler implements AutoCloseable {
  final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Logger logger;
  private final Level oldLevel;
  private final boolean oldUseParent;

  private LogLines(String name) {
    logger = Logger.getLogger(name);
    oldLevel = logger.getLevel();
    oldUseParent = logger.getUseParentHandlers();
    logger.setLevel(Level.ALL);
    logger.setUseParentHandlers(false);
    logger.addHandler(this);
  }

  static LogLines of(String name) {
    return new LogLines(name);
  }

  /** Returns the messages logged at {@code level} or above, their parameters filled in. */
  List<String> atOrAbove(Level level) {
    return records.stream()
        .filter(r -> r.getLevel().intValue() >= level.intValue())
        .map(r -> new java.util.logging.SimpleFormatter().formatMessage(r))
        .toList();
  }

  @Override
  public void publish(LogRecord record) {
    records.add(record);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
    logger.setLevel(oldLevel);
    logger.setUseParentHandlers(oldUseParent);
  }
}
