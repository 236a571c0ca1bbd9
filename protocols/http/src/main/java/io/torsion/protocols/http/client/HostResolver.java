package io.torsion.protocols.http.client;

import io.torsion.DNSLookupError;
import io.torsion.Deferred;
import io.torsion.ReactorThreads;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;

/**
 * Turns a host name into addresses, without blocking the reactor (Twisted's {@code
 * IHostnameResolver}). The client asks it for every new connection; tests substitute a fake one.
 * The Deferred fires on the reactor thread with at least one address, or fails with {@link
 * DNSLookupError}.
 */
@FunctionalInterface
public interface HostResolver {
  /** Resolves {@code host} (a name, or an IP literal without brackets). */
  Deferred<List<InetAddress>> resolve(String host);

  /**
   * Returns the JDK's resolver ({@link InetAddress#getAllByName}, which follows {@code /etc/hosts}
   * and the system's DNS settings and caches), run on the reactor's worker threads; IP literals are
   * answered at once, with no thread.
   */
  static HostResolver system(ReactorThreads threads) {
    Objects.requireNonNull(threads, "threads");
    return host -> {
      if (IpLiterals.isLiteral(host)) {
        try {
          return Deferred.succeed(List.of(InetAddress.getByName(host)));
        } catch (UnknownHostException e) {
          return Deferred.fail(new DNSLookupError("not an IP address: " + host, e));
        }
      }
      Deferred<List<InetAddress>> addresses = new Deferred<>();
      threads
          .<List<InetAddress>>deferToThread(() -> List.of(InetAddress.getAllByName(host)))
          .addCallbacks(
              found -> {
                addresses.callback(found);
                return null;
              },
              failure -> {
                addresses.errback(
                    new DNSLookupError(
                        "could not resolve " + host + ": " + failure.message(), failure.value()));
                return null;
              });
      return addresses;
    };
  }
}
