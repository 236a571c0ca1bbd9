/**
 * Test doubles for code built on Torsion, after Twisted's {@code proto_helpers}, {@code iosim} and
 * {@code task.Clock}, all running the reactor's real connection code: {@link
 * io.torsion.testing.MemoryTransport} is a transport whose sockets are in-memory queues (with
 * windows and watermarks, so flow control is a socket's); {@link
 * io.torsion.testing.StringTransport} connects a protocol to a scripted peer; {@link
 * io.torsion.testing.ConnectedPair} connects two protocols with a deterministic pump; {@link
 * io.torsion.testing.Clock} runs time-based logic without waiting. No test framework is a
 * dependency.
 */
package io.torsion.testing;
