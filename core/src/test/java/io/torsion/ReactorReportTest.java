package io.torsion;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReactorReportTest {
  private final ReactorReport report =
      new ReactorReport(
          "epoll",
          ReactorReport.Choice.AUTO,
          "highest-priority available transport on Linux/amd64",
          List.of(
              new ReactorReport.Candidate("epoll", 100, true, "available"),
              new ReactorReport.Candidate("nio", 10, true, "available")),
          List.of(
              "open files: soft 20000, hard 20000", "threads: 1 (the thread that calls run())"));

  @Test
  void theStartUpLineIsOneLineWithTheTransportWhyTheLimitsAndTheThreads() {
    String line = report.summaryLine();
    assertThat(line).doesNotContain("\n");
    assertThat(line)
        .startsWith(
            "reactor=epoll chosen=auto (highest-priority available transport on Linux/amd64)")
        .contains("open files: soft 20000, hard 20000")
        .endsWith("threads: 1 (the thread that calls run())")
        .doesNotContain("nio (priority 10)");
  }

  @Test
  void theWholeReportListsEveryCandidateOnALineOfItsOwn() {
    assertThat(report.toString().lines())
        .contains("  epoll (priority 100): available", "  nio (priority 10): available");
  }
}
