package io.torsion.protocols.http.client;

import io.torsion.protocols.http.HttpHeaders;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * The redirect rules (RFC 9110 15.4): which statuses redirect, where to, and with which method;
 * never from {@code https} down to {@code http}.
 */
final class Redirects {
  private Redirects() {}

  static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  /**
   * Returns the request that follows {@code response} to {@code request}, or null if it is not
   * followed (no usable {@code Location}, a downgrade to http, or a body that cannot be sent
   * again).
   */
  static ClientRequest next(ClientRequest request, int status, HttpHeaders headers) {
    URI target;
    try {
      target = request.uri().resolve(new URI(headers.get("Location").strip()));
    } catch (URISyntaxException | IllegalArgumentException e) {
      return null;
    }
    String scheme = target.getScheme();
    if (scheme == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || target.getHost() == null) {
      return null;
    }
    if (request.uri().getScheme().equalsIgnoreCase("https") && scheme.equalsIgnoreCase("http")) {
      return null; // no downgrade: the 3xx is the answer
    }
    if (target.getRawFragment() != null) {
      String whole = target.toString();
      target = URI.create(whole.substring(0, whole.indexOf('#')));
    }
    boolean sameOrigin = Origin.of(target).equals(Origin.of(request.uri()));
    String method = request.method();
    boolean toGet =
        status == 303 && !method.equals("HEAD")
            || (status == 301 || status == 302) && method.equals("POST");
    if (toGet) {
      return request.redirected("GET", target, false, sameOrigin);
    }
    if (request.writer() != null) {
      return null; // a streamed body was consumed: it cannot be sent again
    }
    return request.redirected(method, target, true, sameOrigin);
  }
}
