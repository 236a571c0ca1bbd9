/**
 * The glue every Netty-based transport shares: a transport module describes its Netty I/O flavour
 * as a {@link io.torsion.transport.netty.NettyTransport} and gets a complete reactor from it, so
 * NIO, epoll, kqueue and io_uring run one reactor implementation and differ only in the parts Netty
 * itself swaps.
 */
package io.torsion.transport.netty;
