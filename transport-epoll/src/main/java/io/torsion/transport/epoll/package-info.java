/**
 * The epoll transport: Netty's native epoll I/O handler, the default on Linux. Ships the natives
 * for linux-x86_64 and linux-aarch_64.
 */
package io.torsion.transport.epoll;
