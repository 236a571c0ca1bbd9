/**
 * The Netty reactor: a {@code ManualIoEventLoop} driven by the thread that runs the reactor, a
 * {@link io.torsion.spi.TimerQueue} for timed calls, an acceptor that hands accepted channels to
 * connections, and the connection handler that adapts a Netty channel to a {@link
 * io.torsion.Transport} and drives its {@link io.torsion.Protocol}. Not API.
 */
package io.torsion.transport.netty.internal;
