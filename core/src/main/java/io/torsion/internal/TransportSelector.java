package io.torsion.internal;

import io.torsion.Reactor;
import io.torsion.ReactorOptions;
import io.torsion.ReactorReport;
import io.torsion.ReactorReport.Candidate;
import io.torsion.ReactorUnavailableException;
import io.torsion.spi.Availability;
import io.torsion.spi.Platform;
import io.torsion.spi.ReactorProvider;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Chooses the {@link ReactorProvider} for {@link Reactor#create}: the forced one if a name is given
 * (never falling back), else the available one with the highest priority. Pure apart from {@link
 * #createReactor}, so that tests can feed it any providers and platform.
 */
public final class TransportSelector {
  /** The system property that forces a transport by name. */
  public static final String PROPERTY = "torsion.reactor";

  /** The system property that sets the number of event-loop threads, over the options. */
  public static final String THREADS_PROPERTY = "torsion.reactor.threads";

  /** The environment variable that forces a transport by name, if the property is not set. */
  public static final String ENVIRONMENT = "TORSION_REACTOR";

  private static final System.Logger LOG = System.getLogger(Reactor.class.getName());

  private TransportSelector() {}

  /** A transport name forced by the user, and where it came from (for error messages). */
  public record Forced(String name, String source) {}

  /** The outcome of selection: the provider to create and the report to give the reactor. */
  public record Selection(ReactorProvider provider, ReactorReport report, List<String> warnings) {}

  /** Selects with the real class path, properties, environment and platform, and creates. */
  public static Reactor createReactor(ReactorOptions options) {
    List<ReactorProvider> providers = new ArrayList<>();
    List<String> broken = new ArrayList<>();
    load(providers, broken);
    Forced forced = forced(options, System::getProperty, System::getenv);
    Selection selection = select(providers, broken, Platform.current(), forced);
    for (String warning : selection.warnings()) {
      LOG.log(Level.WARNING, warning);
    }
    Reactor reactor =
        open(selection.provider(), withOverrides(options, System::getProperty), selection.report());
    LOG.log(Level.INFO, "{0}", reactor.report().summaryLine());
    LOG.log(Level.DEBUG, "{0}", reactor.report());
    return reactor;
  }

  /**
   * Creates a reactor on {@code provider}, which no selection chose: for tests and in-memory
   * transports.
   */
  public static Reactor createReactor(ReactorOptions options, ReactorProvider provider) {
    Availability availability = availabilitySafely(provider);
    if (!availability.available()) {
      throw new ReactorUnavailableException(
          "transport '" + provider.name() + "' cannot run here: " + availability.reason(),
          availability.cause());
    }
    String name = provider.name().toLowerCase(Locale.ROOT);
    Candidate self =
        new Candidate(name, priority(provider, Platform.current()), true, availability.describe());
    ReactorReport report =
        new ReactorReport(
            name,
            ReactorReport.Choice.FORCED,
            "given to Reactor.create by the caller",
            List.of(self),
            List.of());
    Reactor reactor = open(provider, options, report);
    LOG.log(Level.DEBUG, "{0}", reactor.report());
    return reactor;
  }

  private static Reactor open(
      ReactorProvider provider, ReactorOptions options, ReactorReport report) {
    return new DefaultReactor(
        provider.name().toLowerCase(Locale.ROOT), options, report, provider.open(options));
  }

  /** Returns {@code options} with what system properties override (the thread count). */
  public static ReactorOptions withOverrides(
      ReactorOptions options, UnaryOperator<String> properties) {
    String threads = properties.apply(THREADS_PROPERTY);
    if (threads == null || threads.isBlank()) {
      return options;
    }
    try {
      return options.toBuilder().threads(Integer.parseInt(threads.trim())).build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "-D" + THREADS_PROPERTY + "=" + threads + " is not a thread count from 1 to 1024", e);
    }
  }

  /** Returns the forced name: system property, else environment variable, else options. */
  public static Forced forced(
      ReactorOptions options, UnaryOperator<String> properties, UnaryOperator<String> environment) {
    String property = properties.apply(PROPERTY);
    if (property != null && !property.isBlank()) {
      return new Forced(property.trim(), "system property " + PROPERTY);
    }
    String variable = environment.apply(ENVIRONMENT);
    if (variable != null && !variable.isBlank()) {
      return new Forced(variable.trim(), "environment variable " + ENVIRONMENT);
    }
    if (options.transport() != null) {
      return new Forced(options.transport(), "ReactorOptions.transport");
    }
    return null;
  }

  /**
   * Describes why a provider failed to load, down to the root cause: {@code ServiceLoader} says
   * only "could not be instantiated", while the cause says what is missing (a class of a module not
   * on the path, a native library).
   */
  static String describeLoadFailure(Throwable error) {
    StringBuilder out = new StringBuilder(String.valueOf(error));
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable cause = error.getCause();
        cause != null && seen.add(cause);
        cause = cause.getCause()) {
      out.append("; caused by ").append(cause);
    }
    return out.toString();
  }

  /**
   * Chooses among {@code providers} for {@code platform}.
   *
   * @param broken descriptions of providers that failed to load at all
   * @param forced the forced name, or null for automatic selection
   * @throws ReactorUnavailableException when nothing suitable can run
   */
  public static Selection select(
      List<ReactorProvider> providers, List<String> broken, Platform platform, Forced forced) {
    Map<String, ReactorProvider> byName = new LinkedHashMap<>();
    Map<String, Candidate> candidates = new LinkedHashMap<>();
    Map<String, Availability> availabilities = new LinkedHashMap<>();
    for (ReactorProvider provider : sortedByPriority(providers, platform)) {
      String name = provider.name().toLowerCase(Locale.ROOT);
      if (byName.putIfAbsent(name, provider) != null) {
        continue; // a second provider of the same name: the first (higher priority) wins
      }
      Availability availability = availabilitySafely(provider);
      availabilities.put(name, availability);
      candidates.put(
          name,
          new Candidate(
              name,
              priority(provider, platform),
              availability.available(),
              availability.describe()));
    }
    List<Candidate> all = new ArrayList<>(candidates.values());
    for (String failure : broken) {
      all.add(new Candidate("?", 0, false, "failed to load: " + failure));
    }

    if (forced != null) {
      String name = forced.name().toLowerCase(Locale.ROOT);
      ReactorProvider provider = byName.get(name);
      String origin = PROPERTY + "=" + forced.name() + " (from " + forced.source() + ")";
      if (provider == null) {
        throw new ReactorUnavailableException(
            origin + " names no transport provider on the class path. " + listing(all), null);
      }
      Availability availability = availabilities.get(name);
      if (!availability.available()) {
        throw new ReactorUnavailableException(
            origin
                + " names transport '"
                + name
                + "', which cannot run on "
                + platform
                + ": "
                + availability.reason()
                + ". It is never replaced by another transport. "
                + listing(all),
            availability.cause());
      }
      ReactorReport report =
          new ReactorReport(
              name,
              ReactorReport.Choice.FORCED,
              "forced by " + forced.source() + "=" + forced.name(),
              all,
              List.of());
      return new Selection(provider, report, List.of());
    }

    Candidate chosen = null;
    for (Candidate candidate : all) {
      if (candidate.available() && candidate.priority() > 0) {
        chosen = candidate;
        break;
      }
    }
    if (chosen == null) {
      throw new ReactorUnavailableException(
          "No transport provider can run on "
              + platform
              + ". "
              + (all.isEmpty()
                  ? "None is on the class path: add io.torsion:torsion-transport-nio (or a native"
                      + " transport) as a dependency."
                  : listing(all)),
          null);
    }
    List<String> warnings = new ArrayList<>();
    List<String> passedOver = new ArrayList<>();
    for (Candidate candidate : all) {
      if (!candidate.available() && candidate.priority() > chosen.priority()) {
        passedOver.add(candidate.toString());
        warnings.add(
            "Transport '"
                + candidate.name()
                + "' suits "
                + platform
                + " better than '"
                + chosen.name()
                + "' but cannot run: "
                + candidate.status()
                + ". Using '"
                + chosen.name()
                + "' instead; set -D"
                + PROPERTY
                + "="
                + chosen.name()
                + " to silence this warning.");
      }
    }
    String reason =
        "highest-priority available transport on "
            + platform
            + (passedOver.isEmpty() ? "" : "; passed over " + String.join("; ", passedOver));
    ReactorReport report =
        new ReactorReport(chosen.name(), ReactorReport.Choice.AUTO, reason, all, List.of());
    return new Selection(byName.get(chosen.name()), report, warnings);
  }

  private static void load(List<ReactorProvider> providers, List<String> broken) {
    Iterator<ReactorProvider> iterator = ServiceLoader.load(ReactorProvider.class).iterator();
    while (true) {
      try {
        if (!iterator.hasNext()) {
          return;
        }
        providers.add(iterator.next());
      } catch (ServiceConfigurationError | LinkageError error) {
        broken.add(describeLoadFailure(error));
      }
    }
  }

  private static List<ReactorProvider> sortedByPriority(
      List<ReactorProvider> providers, Platform platform) {
    List<ReactorProvider> sorted = new ArrayList<>(providers);
    sorted.sort(Comparator.comparingInt((ReactorProvider p) -> priority(p, platform)).reversed());
    return sorted;
  }

  private static int priority(ReactorProvider provider, Platform platform) {
    try {
      return provider.priority(platform);
    } catch (RuntimeException | LinkageError error) {
      return Integer.MIN_VALUE;
    }
  }

  private static Availability availabilitySafely(ReactorProvider provider) {
    try {
      return provider.availability();
    } catch (RuntimeException | LinkageError error) {
      return Availability.unavailable("its availability check threw " + error, error);
    }
  }

  private static String listing(List<Candidate> all) {
    if (all.isEmpty()) {
      return "No transport providers were found on the class path.";
    }
    return "Providers found: "
        + all.stream().map(Candidate::toString).collect(Collectors.joining("; "))
        + ".";
  }
}
