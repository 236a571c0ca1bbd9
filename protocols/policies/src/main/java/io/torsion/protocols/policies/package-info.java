/**
 * Twisted's {@code twisted.protocols.policies}, for servers on a public port: each policy wraps a
 * {@link io.torsion.Factory} so that any protocol gets it without changing. {@link
 * io.torsion.protocols.policies.IdleTimeout} closes connections that go quiet ({@code
 * TimeoutMixin}, {@code TimeoutFactory}), {@link io.torsion.protocols.policies.ConnectionLimits}
 * bounds connections per port and per peer address ({@code LimitTotalConnectionsFactory}, {@code
 * LimitConnectionsByPeer}), {@link io.torsion.protocols.policies.Throttle} bounds bytes per second
 * read and written, per connection and per port ({@code ThrottlingFactory}). They compose by
 * wrapping one inside another, and each counts what it did. All of them sit on {@link
 * io.torsion.protocols.policies.ProtocolWrapper}, which a policy of your own can extend.
 */
package io.torsion.protocols.policies;
