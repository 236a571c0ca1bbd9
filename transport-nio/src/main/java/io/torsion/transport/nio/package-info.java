/**
 * The NIO transport: Netty's NIO I/O handler, available on every platform. Put this module on the
 * class path and {@link io.torsion.Reactor#create()} can always find a transport.
 */
package io.torsion.transport.nio;
