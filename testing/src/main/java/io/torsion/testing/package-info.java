/**
 * Test doubles for code built on Torsion, after Twisted's {@code proto_helpers} and {@code
 * task.Clock}: {@link io.torsion.testing.StringTransport} runs a protocol without sockets, {@link
 * io.torsion.testing.Clock} runs time-based logic without waiting, and {@link
 * io.torsion.BackgroundReactor} runs a real reactor beside a test.
 */
package io.torsion.testing;
