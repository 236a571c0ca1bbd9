package io.torsion.tls;

import io.torsion.spi.Availability;
import io.torsion.spi.TlsProvider;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The TLS engines of this JVM, and which one TLS options use unless told: chosen as the transport
 * is, the system property {@code torsion.tls.provider} (else the environment variable {@code
 * TORSION_TLS_PROVIDER}) forces one by name, which must load; otherwise the available provider with
 * the highest priority (OpenSSL when {@code torsion-tls-openssl} is on the class path and its
 * native library loads, the JDK's otherwise). The providers are found once per JVM.
 */
public final class TlsEngines {
  private static final System.Logger LOG = System.getLogger("io.torsion.tls");
  private static volatile List<TlsProvider> providers;
  private static final java.util.Set<String> logged =
      java.util.concurrent.ConcurrentHashMap.newKeySet(); // engines whose first use was logged

  private TlsEngines() {}

  private static List<TlsProvider> all() {
    List<TlsProvider> found = providers;
    if (found == null) {
      found = new ArrayList<>();
      found.add(new JdkEngine());
      for (TlsProvider provider : ServiceLoader.load(TlsProvider.class)) {
        found.add(provider);
      }
      found.sort(Comparator.comparingInt(TlsProvider::priority).reversed());
      providers = found = List.copyOf(found);
    }
    return found;
  }

  /** Returns the engine forced by the property or environment, or null. */
  static String forcedName() {
    String forced = System.getProperty("torsion.tls.provider");
    if (forced == null || forced.isBlank()) {
      forced = System.getenv("TORSION_TLS_PROVIDER");
    }
    return forced == null || forced.isBlank() ? null : forced.trim();
  }

  /**
   * Returns the provider named {@code name}, or (null) the forced or best one.
   *
   * @throws IllegalStateException if the one named or forced is unknown or cannot load here
   */
  static TlsProvider select(String name) {
    return select(name, true);
  }

  private static TlsProvider select(String name, boolean log) {
    String wanted = name != null ? name : forcedName();
    if (wanted != null) {
      for (TlsProvider provider : all()) {
        if (provider.name().equalsIgnoreCase(wanted)) {
          Availability availability = provider.availability();
          if (!availability.available()) {
            throw new IllegalStateException(
                "the TLS engine '"
                    + wanted
                    + "' was asked for"
                    + (name != null ? "" : " (-Dtorsion.tls.provider)")
                    + " but cannot run here: "
                    + availability.describe(),
                availability.cause());
          }
          if (log) {
            logChoice(provider, name != null ? "option" : "forced");
          }
          return provider;
        }
      }
      throw new IllegalStateException(
          "unknown TLS engine '"
              + wanted
              + "'; known: "
              + names()
              + ("openssl".equalsIgnoreCase(wanted)
                  ? " (OpenSSL needs io.torsion:torsion-tls-openssl on the class path)"
                  : ""));
    }
    for (TlsProvider provider : all()) {
      if (provider.availability().available()) {
        if (log) {
          logChoice(provider, "auto");
        }
        return provider;
      }
    }
    throw new IllegalStateException("no TLS engine can run here"); // the JDK's always can
  }

  private static List<String> names() {
    return all().stream().map(TlsProvider::name).toList();
  }

  private static void logChoice(TlsProvider provider, String how) {
    if (logged.add(provider.name())) {
      LOG.log(Level.INFO, "tls={0} chosen={1}: {2}", provider.name(), how, provider.describe());
    }
  }

  /**
   * Returns the name of the engine TLS options use unless told otherwise: {@code openssl} or {@code
   * jdk}. Safe to call from any thread.
   *
   * @throws IllegalStateException if {@code -Dtorsion.tls.provider} names one that cannot load
   */
  public static String chosen() {
    return select(null, false).name();
  }

  /**
   * Returns what {@link io.torsion.Reactor#report()} lists about TLS: the engine chosen and how,
   * then one line per engine found (name, priority, availability), and what to add for OpenSSL when
   * it is missing.
   */
  public static List<String> report() {
    List<String> lines = new ArrayList<>();
    String chosen;
    try {
      chosen = select(null, false).name();
    } catch (IllegalStateException e) {
      chosen = "none (" + e.getMessage() + ")";
    }
    lines.add(
        "tls: "
            + chosen
            + (forcedName() == null ? " (auto)" : " (forced by torsion.tls.provider)"));
    for (TlsProvider provider : all()) {
      Availability availability = provider.availability();
      lines.add(
          "tls engine "
              + provider.name()
              + " (priority "
              + provider.priority()
              + "): "
              + (availability.available() ? provider.describe() : availability.describe()));
    }
    if (all().stream().noneMatch(provider -> provider.name().equals("openssl"))) {
      lines.add(
          "tls engine openssl: not on the class path (add io.torsion:torsion-tls-openssl for"
              + " OpenSSL's speed)");
    }
    return lines;
  }
}
