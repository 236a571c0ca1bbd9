/**
 * The {@code iocp} transport: a reactor on the JDK's asynchronous channels, which use I/O
 * completion ports on Windows. The default on Windows; forceable anywhere with {@code
 * -Dtorsion.reactor=iocp}, where it runs on the JDK's own port and passes the same conformance kit.
 */
package io.torsion.transport.windows;
