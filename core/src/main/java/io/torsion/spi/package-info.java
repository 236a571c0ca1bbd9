/**
 * For transport authors: what a transport implements, as a few small interfaces. A {@link
 * io.torsion.spi.ReactorProvider}, found with {@link java.util.ServiceLoader}, says whether it can
 * run here ({@link io.torsion.spi.Availability}, for a {@link io.torsion.spi.Platform}) and opens a
 * {@link io.torsion.spi.Network} for each reactor. The network makes one {@link
 * io.torsion.spi.Poller} per reactor thread, binds {@link io.torsion.spi.ListenSocket}s (each
 * accepted socket goes where the runtime's {@link io.torsion.spi.Acceptor} says) and connects; each
 * connection is a {@link io.torsion.spi.Socket} (queue, flush, close, shut down output, read or
 * not, queued bytes, addresses) that reports to its {@link io.torsion.spi.SocketEvents} (opened,
 * received, read burst ended, peer half-closed, failed, closed, writability changed).
 *
 * <p>Everything above the socket is the runtime's, the same for every transport: the reactor's life
 * cycle, the connection state machine, flow control, timers, workers and shutdown. Helpers for the
 * parts transports share: {@link io.torsion.spi.AcceptBackoff} (out of file descriptors), {@link
 * io.torsion.spi.WriteQueue} (a copying output queue with watermarks) and {@link
 * io.torsion.spi.TimerQueue} (the timed calls of a loop, and of the test clock). Applications do
 * not need this package.
 */
package io.torsion.spi;
