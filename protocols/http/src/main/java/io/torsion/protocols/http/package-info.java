/**
 * HTTP/1.1 on the core API (in progress). So far: the request parser ({@code RequestParser}, not
 * API) with RFC 9112 framing, every limit of {@link io.torsion.protocols.http.HttpOptions} and
 * request-smuggling resistance, and the request types ({@link io.torsion.protocols.http.HttpRequest},
 * {@link io.torsion.protocols.http.HttpHeaders}, {@link io.torsion.protocols.http.HttpError}).
 * The server protocol, handler API, router, static files and benchmarks come next.
 */
package io.torsion.protocols.http;
