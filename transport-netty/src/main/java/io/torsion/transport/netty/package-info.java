/**
 * What every Netty-based transport shares: a transport module describes its Netty I/O flavour as a
 * {@link io.torsion.transport.netty.NettyTransport} (the I/O handler factory and the channel
 * classes that fit it) and opens the {@link io.torsion.spi.Network} from it, so NIO, epoll, kqueue
 * and io_uring are one implementation and differ only in the parts Netty itself swaps.
 */
package io.torsion.transport.netty;
