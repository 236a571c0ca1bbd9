package io.torsion.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

class FileDescriptorLimitTest {
  @Test
  void readsTheLimitsAndRaisesTheSoftOneToTheHardOne() {
    assumeTrue(
        FileDescriptorLimit.read().isPresent(), "RLIMIT_NOFILE cannot be read on this platform");
    FileDescriptorLimit.Limits before = FileDescriptorLimit.read().orElseThrow();
    assertThat(before.soft()).isPositive();
    FileDescriptorLimit.Outcome outcome = FileDescriptorLimit.raiseToHardLimit();
    assertThat(outcome.after()).isNotNull();
    assertThat(outcome.after().soft()).isGreaterThanOrEqualTo(before.soft());
    assertThat(outcome.describe()).startsWith("open files: soft ").contains("hard ");
    assertThat(FileDescriptorLimit.raiseToHardLimit()).isSameAs(outcome);
  }

  @Test
  void theSoftLimitCanBeLoweredAndRestored() {
    assumeTrue(
        FileDescriptorLimit.read().isPresent(), "RLIMIT_NOFILE cannot be read on this platform");
    long soft = FileDescriptorLimit.read().orElseThrow().soft();
    try {
      FileDescriptorLimit.setSoftLimit(soft - 1);
      assertThat(FileDescriptorLimit.read().orElseThrow().soft()).isEqualTo(soft - 1);
    } finally {
      FileDescriptorLimit.setSoftLimit(soft);
    }
    assertThat(FileDescriptorLimit.read().orElseThrow().soft()).isEqualTo(soft);
  }

  @Test
  void raisingCanBeTurnedOffWithTheSystemProperty() {
    assumeTrue(
        FileDescriptorLimit.read().isPresent(), "RLIMIT_NOFILE cannot be read on this platform");
    long soft = FileDescriptorLimit.read().orElseThrow().soft();
    String before = System.getProperty(FileDescriptorLimit.RAISE_PROPERTY);
    System.setProperty(FileDescriptorLimit.RAISE_PROPERTY, "false");
    try {
      FileDescriptorLimit.setSoftLimit(soft - 10);
      FileDescriptorLimit.Outcome outcome = FileDescriptorLimit.raise();
      assertThat(outcome.after().soft()).isEqualTo(soft - 10);
      assertThat(outcome.describe()).contains("not raised: -Dtorsion.rlimit.raise=false");
    } finally {
      FileDescriptorLimit.setSoftLimit(soft);
      if (before == null) {
        System.clearProperty(FileDescriptorLimit.RAISE_PROPERTY);
      } else {
        System.setProperty(FileDescriptorLimit.RAISE_PROPERTY, before);
      }
    }
  }

  @Test
  void raisingLiftsALoweredSoftLimitToTheHardLimit() {
    assumeTrue(
        FileDescriptorLimit.read().isPresent(), "RLIMIT_NOFILE cannot be read on this platform");
    FileDescriptorLimit.Limits limits = FileDescriptorLimit.read().orElseThrow();
    assumeTrue(limits.hard() > 100 && limits.hard() < 1L << 40, "a finite hard limit");
    try {
      FileDescriptorLimit.setSoftLimit(limits.hard() - 10);
      FileDescriptorLimit.Outcome outcome = FileDescriptorLimit.raise();
      assertThat(outcome.before().soft()).isEqualTo(limits.hard() - 10);
      assertThat(outcome.after().soft()).isEqualTo(limits.hard());
      assertThat(outcome.describe())
          .contains("-> " + limits.hard() + " (raised to the hard limit)");
    } finally {
      FileDescriptorLimit.setSoftLimit(limits.soft());
    }
  }

  @Test
  void countsOpenDescriptors() {
    assumeTrue(FileDescriptorLimit.openDescriptors() >= 0, "no /proc/self/fd or /dev/fd here");
    assertThat(FileDescriptorLimit.openDescriptors()).isGreaterThan(2);
  }

  @Test
  void describesUnknownLimitsWithoutFailing() {
    FileDescriptorLimit.Outcome unknown =
        new FileDescriptorLimit.Outcome(null, null, "no RLIMIT_NOFILE on Plan 9");
    assertThat(unknown.describe())
        .isEqualTo("open files: limit unknown (no RLIMIT_NOFILE on Plan 9)");
    FileDescriptorLimit.Outcome raised =
        new FileDescriptorLimit.Outcome(
            new FileDescriptorLimit.Limits(1024, 4096),
            new FileDescriptorLimit.Limits(4096, 4096),
            "");
    assertThat(raised.describe())
        .isEqualTo("open files: soft 1024 -> 4096 (raised to the hard limit), hard 4096");
  }
}
