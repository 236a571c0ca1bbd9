package io.torsion.transport.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

class FileDescriptorLimitTest {
  @Test
  void readsTheLimitsAndRaisesTheSoftOneToTheHardOne() {
    assumeTrue(FileDescriptorLimit.read().isPresent(), "RLIMIT_NOFILE cannot be read on this platform");
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
    assumeTrue(FileDescriptorLimit.read().isPresent(), "RLIMIT_NOFILE cannot be read on this platform");
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
  void countsOpenDescriptors() {
    assumeTrue(FileDescriptorLimit.openDescriptors() >= 0, "no /proc/self/fd or /dev/fd here");
    assertThat(FileDescriptorLimit.openDescriptors()).isGreaterThan(2);
  }

  @Test
  void describesUnknownLimitsWithoutFailing() {
    FileDescriptorLimit.Outcome unknown = new FileDescriptorLimit.Outcome(null, null, "no RLIMIT_NOFILE on Plan 9");
    assertThat(unknown.describe()).isEqualTo("open files: limit unknown (no RLIMIT_NOFILE on Plan 9)");
    FileDescriptorLimit.Outcome raised = new FileDescriptorLimit.Outcome(
        new FileDescriptorLimit.Limits(1024, 4096), new FileDescriptorLimit.Limits(4096, 4096), "");
    assertThat(raised.describe()).isEqualTo("open files: soft 1024 -> 4096 (raised to the hard limit), hard 4096");
  }
}
