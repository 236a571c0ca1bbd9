/**
 * The {@code iocp} transport: the sockets of the JDK's asynchronous channels, which use I/O
 * completion ports on Windows; each completion hops to the loop that owns its socket. The default
 * on Windows; forceable anywhere with {@code -Dtorsion.reactor=iocp}, where it runs on the JDK's
 * own port (its availability says so) and passes the same conformance kit.
 */
package io.torsion.transport.windows;
