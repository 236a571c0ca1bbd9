/**
 * An HTTP/1.1 server on the core API: {@link io.torsion.protocols.http.HttpServer} (a factory for
 * {@code listenTCP}) answering with an {@link io.torsion.protocols.http.HttpHandler}, usually a
 * {@link io.torsion.protocols.http.Router}, or {@link io.torsion.protocols.http.StaticFiles}. The
 * request parser ({@code RequestParser}, not API) follows RFC 9112 strictly: every limit of {@link
 * io.torsion.protocols.http.HttpOptions} answers its status, and every framing ambiguity that
 * enables request smuggling is rejected and the connection closed. Request and response bodies can
 * stream, with backpressure both ways; on {@code Reactor.stop()} a connection answers the requests
 * it has, then closes ({@link io.torsion.DrainableProtocol}).
 */
package io.torsion.protocols.http;
