package io.torsion.internal;

import io.torsion.TlsHandshakeError;
import io.torsion.TlsHandshakeError.Reason;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;

/**
 * Tells why a TLS handshake failed, from the engine's exception, and logs the failures a server
 * sees so that a scanner on the port cannot flood the log: each at DEBUG, and at most one INFO line
 * a minute counting those since the last.
 */
final class HandshakeFailures {
  private static final System.Logger LOG = System.getLogger("io.torsion.tls");
  private static final long SUMMARY_NANOS = 60_000_000_000L;
  private static final AtomicLong sinceSummary = new AtomicLong();
  private static final AtomicLong lastSummary = new AtomicLong(System.nanoTime() - SUMMARY_NANOS);

  private HandshakeFailures() {}

  static TlsHandshakeError classify(
      SSLException error, SocketAddress peer, boolean server, boolean established) {
    Reason reason = reason(error, server);
    String message =
        (established ? "TLS session with " : "TLS handshake with ")
            + peer
            + " failed ("
            + reason.name().toLowerCase(Locale.ROOT).replace('_', ' ')
            + "): "
            + error.getMessage();
    return new TlsHandshakeError(reason, message, error);
  }

  static Reason reason(Throwable error, boolean server) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof CertificateExpiredException
          || cause instanceof CertificateNotYetValidException) {
        return Reason.EXPIRED;
      }
      if (cause instanceof CertPathValidatorException path) {
        CertPathValidatorException.Reason why = path.getReason();
        if (why == CertPathValidatorException.BasicReason.EXPIRED
            || why == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
          return Reason.EXPIRED;
        }
      }
    }
    String text = messages(error);
    if (text.contains("no subject alternative") || text.contains("no name matching")) {
      return Reason.HOSTNAME_MISMATCH;
    }
    if (text.contains("certificate_expired") || text.contains("validity check failed")) {
      return Reason.EXPIRED;
    }
    if (text.contains("unable to find valid certification path")
        || text.contains("does not chain with any of the trust anchors")
        || text.contains("signature check failed")
        || text.contains("unknown_ca")) {
      return Reason.UNKNOWN_CA;
    }
    if (text.contains("empty client certificate chain")
        || text.contains("certificate_required")
        || (!server
            && (text.contains("bad_certificate") || text.contains("certificate_unknown")))) {
      return Reason.CLIENT_CERTIFICATE_REJECTED;
    }
    if (server && (text.contains("certificate_unknown") || text.contains("bad_certificate"))) {
      return Reason.UNKNOWN_CA; // the client did not trust this server's certificate
    }
    if (text.contains("protocol_version")
        || text.contains("no appropriate protocol")
        || text.contains("protocol is disabled")
        || text.contains("supported protocol versions")) {
      return Reason.PROTOCOL_VERSION;
    }
    if (text.contains("no_application_protocol")
        || text.contains("application protocol")
        || text.contains("no cipher suites in common")
        || text.contains("insufficient_security")
        || text.contains("handshake_failure")) {
      return Reason.NO_COMMON_PARAMETERS;
    }
    if (text.contains("unsupported or unrecognized ssl message")
        || text.contains("plaintext connection")
        || text.contains("not an ssl/tls record")
        || text.contains("unexpected_message")) {
      return Reason.NOT_TLS;
    }
    return Reason.OTHER;
  }

  private static String messages(Throwable error) {
    StringBuilder all = new StringBuilder();
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      all.append(cause.getMessage()).append(' ');
    }
    return all.toString().toLowerCase(Locale.ROOT);
  }

  /** Logs a failure a server saw: DEBUG each, INFO at most once a minute with the count. */
  static void serverFailed(TlsHandshakeError error) {
    LOG.log(Level.DEBUG, error.getMessage());
    long count = sinceSummary.incrementAndGet();
    long now = System.nanoTime();
    long last = lastSummary.get();
    if (now - last >= SUMMARY_NANOS && lastSummary.compareAndSet(last, now)) {
      sinceSummary.addAndGet(-count);
      LOG.log(
          Level.INFO,
          "{0} TLS handshake(s) failed on listening ports since the last such line (at most one a"
              + " minute; each is logged at DEBUG); the latest: {1}",
          count,
          error.getMessage());
    }
  }
}
