package io.torsion;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a {@link Reactor} runs on and why: the transport chosen, whether it was chosen automatically
 * or forced (and by what), every provider considered with its status, and transport details such as
 * resource limits. {@link #toString()} is a multi-line report fit for a log.
 *
 * @param transport the name of the chosen provider, e.g. {@code epoll}
 * @param chosen whether selection chose it or it was forced
 * @param reason one sentence: why this transport
 * @param candidates every provider found, in priority order
 * @param details transport facts (limits, threads), one {@code "name: value"} line each
 */
public record ReactorReport(
    String transport,
    Choice chosen,
    String reason,
    List<Candidate> candidates,
    List<String> details) {

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
    return withDetails(List.of(detail));
  }

  /** Returns this report with more detail lines. */
  public ReactorReport withDetails(List<String> lines) {
    List<String> more = new ArrayList<>(details);
    more.addAll(lines);
    return new ReactorReport(transport, chosen, reason, candidates, more);
  }

  /** How the transport was chosen. */
  public enum Choice {
    /** By selection: the available provider with the highest priority. */
    AUTO,
    /** By name (a system property, the environment or the options), or given by the caller. */
    FORCED;

    /** Returns the name in lower case, as reports print it. */
    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Returns the short summary, e.g. {@code reactor=nio chosen=forced}. */
  public String summary() {
    return "reactor=" + transport + " chosen=" + chosen;
  }

  /**
   * Returns the whole report but the candidates on one line, for one-event-per-line logs: e.g.
   * {@code reactor=epoll chosen=auto (highest-priority available transport on Linux/amd64); open
   * files: ...; threads: 1 (...)}.
   */
  public String summaryLine() {
    StringBuilder out = new StringBuilder(summary()).append(" (").append(reason).append(')');
    for (String detail : details) {
      out.append("; ").append(detail);
    }
    return out.toString();
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
