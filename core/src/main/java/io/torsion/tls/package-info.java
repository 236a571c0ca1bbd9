/**
 * TLS for every transport: what a listening port or a client connection needs to speak TLS ({@link
 * io.torsion.tls.TlsServerOptions}, {@link io.torsion.tls.TlsClientOptions}), where keys and trust
 * come from ({@link io.torsion.tls.Identity}, {@link io.torsion.tls.TrustRoots}) and what a
 * protocol learns of an established session ({@link io.torsion.tls.TlsInfo}).
 *
 * <p>TLS runs in the runtime, above the transport's sockets, on the JDK's {@link
 * javax.net.ssl.SSLEngine}: every transport (epoll, kqueue, io_uring, NIO, IOCP, in-memory) gets
 * the same TLS. Listen with {@link io.torsion.Reactor#listenSSL}, connect with {@link
 * io.torsion.Reactor#connectSSL}, or upgrade a live connection with {@link
 * io.torsion.Transport#startTLS}. Only TLS 1.3 and 1.2 are enabled by default.
 */
package io.torsion.tls;
