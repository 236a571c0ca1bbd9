/**
 * An HTTP/1.1 client: {@link io.torsion.protocols.http.client.HttpClient} sends {@link
 * io.torsion.protocols.http.client.ClientRequest}s over pooled keep-alive connections (plain or
 * TLS) and returns Deferreds of {@link io.torsion.protocols.http.client.ClientResponse}s, their
 * bodies aggregated up to a limit or streamed with backpressure. Its response parser is as strict
 * as the server's request parser; every malformed, oversized, early-ending or slow response fails
 * its request with an {@link io.torsion.protocols.http.client.HttpClientError}, never a hang.
 */
package io.torsion.protocols.http.client;
