package io.torsion.testing.kit;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Counts what the reactors log about accepting ({@code io.torsion.ListeningPort}), through the
 * JDK's default {@link System.Logger} backend, so that kit tests can check that accept failures are
 * logged once per burst and retried with back-off rather than in a busy loop.
 */
final class AcceptLog extends Handler {
  final CountDownLatch firstWarning = new CountDownLatch(1);
  final AtomicInteger warnings = new AtomicInteger();
  final AtomicInteger failedAttempts = new AtomicInteger();
  final AtomicInteger recoveries = new AtomicInteger(); // "accepting again": the end of a burst
  private final Logger logger = Logger.getLogger("io.torsion.ListeningPort");
  private Level oldLevel;
  private boolean oldUseParent;

  static AcceptLog attach() {
    AcceptLog log = new AcceptLog();
    log.oldLevel = log.logger.getLevel();
    log.oldUseParent = log.logger.getUseParentHandlers();
    log.logger.setLevel(Level.ALL);
    log.logger.setUseParentHandlers(false);
    log.logger.addHandler(log);
    return log;
  }

  void detach() {
    logger.removeHandler(this);
    logger.setLevel(oldLevel);
    logger.setUseParentHandlers(oldUseParent);
  }

  @Override
  public void publish(LogRecord record) {
    if (record.getLevel() == Level.WARNING && record.getMessage().startsWith("accept failed on")) {
      warnings.incrementAndGet();
      failedAttempts.incrementAndGet();
      firstWarning.countDown();
    } else if (record.getLevel() == Level.INFO
        && record.getMessage().startsWith("accepting again")) {
      recoveries.incrementAndGet();
    } else if (record.getLevel().intValue() < Level.INFO.intValue()
        && record.getMessage().startsWith("accept failed")) {
      failedAttempts.incrementAndGet();
    }
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
