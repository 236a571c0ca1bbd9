/**
 * Framing protocols after Twisted's {@code twisted.protocols.basic}: {@link
 * io.torsion.protocols.line.LineReceiver} (lines, with a raw mode and pausing between lines),
 * {@link io.torsion.protocols.line.LineOnlyReceiver}, {@link
 * io.torsion.protocols.line.NetstringReceiver} and the length-prefixed {@link
 * io.torsion.protocols.line.Int32StringReceiver} family. Every limit is enforced before memory is
 * spent on a frame, and bad framing closes the connection with a reason.
 */
package io.torsion.protocols.line;
