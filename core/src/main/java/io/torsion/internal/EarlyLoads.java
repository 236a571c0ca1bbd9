package io.torsion.internal;

import java.time.ZoneId;
import java.time.zone.ZoneRulesProvider;

/**
 * What the JDK reads from a file of its own the first time it is used, read when a reactor is made
 * rather than when it first logs. A process can be out of file descriptors by then, and the JDK
 * does not try again: the time-zone rules that a log line's time stamp needs, failing to load once,
 * leave {@code java.time} broken for the life of the JVM (every later zoned time, and the console
 * handler of {@code java.util.logging}, throws "Could not initialize class ZoneRulesProvider").
 */
final class EarlyLoads {

  private static volatile boolean loaded;

  private EarlyLoads() {}

  /** Loads them, once per JVM (two reactors made at once may both load them: harmless). */
  static void run() {
    if (loaded) {
      return;
    }
    try {
      ZoneRulesProvider.getAvailableZoneIds(); // reads the JDK's tzdb.dat
      ZoneId.systemDefault(); // resolves (and caches) the default zone against them
    } catch (RuntimeException | LinkageError e) {
      // a JDK without usable zone rules: nothing a reactor can mend, and no reason not to run
    }
    loaded = true;
  }
}
