/**
 * The io_uring transport: Netty's io_uring I/O handler on Linux. Opt-in with {@code
 * -Dtorsion.reactor=io_uring}; never chosen automatically.
 */
package io.torsion.transport.iouring;
