package io.torsion;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link Reactor} runs on and why: the transport chosen, whether it was chosen
 * automatically or forced (and by what), every provider considered with its status, and
 * transport details such as resource limits. {@link #toString()} is a multi-line report fit for
 * a log.
 *
 * @param transport the name of the chosen provider, e.g. {@code epoll}
 * @param chosen {@code "auto"} or {@code "forced"}
 * @param reason one sentence: why this transport
 * @param candidates every provider found, in priority order
 * @param details transport facts (limits, threads), one {@code "name: value"} line each
 */
public record ReactorReport(
    String transport, String chosen, String reason, List<Candidate> candidates, List<String> details) {

  /** Copies the lists; every component is required. */
  public ReactorReport {
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(chosen, "chosen");
    Objects.requireNonNull(reason, "reason");
    candidates = List.copyOf(candidates);
    details = List.copyOf(details);
  }

  /** Returns this report with one more detail line. */
  public ReactorReport withDetail(String detail) {
    List<String> more = new java.util.ArrayList<>(details);
    more.add(detail);
    return new ReactorReport(transport, chosen, reason, candidates, more);
  }

  /** Returns the one-line summary, e.g. {@code reactor=nio chosen=forced}. */
  public String summary() {
    return "reactor=" + transport + " chosen=" + chosen;
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(summary()).append(": ").append(reason);
    for (Candidate candidate : candidates) {
      out.append("\n  ").append(candidate);
    }
    for (String detail : details) {
      out.append("\n  ").append(detail);
    }
    return out.toString();
  }

  /**
   * One provider considered during selection.
   *
   * @param name the provider's name
   * @param priority its priority on this platform (higher wins; 0 or less: never chosen
   *     automatically)
   * @param available whether it can run here
   * @param status {@code "available"}, or why not
   */
  public record Candidate(String name, int priority, boolean available, String status) {
    @Override
    public String toString() {
      return name + " (priority " + priority + "): " + status;
    }
  }
}
