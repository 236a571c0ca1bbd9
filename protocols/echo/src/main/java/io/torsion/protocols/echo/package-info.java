/**
 * Echo (RFC 862) and Discard (RFC 863): the smallest useful protocols, and an echo client whose
 * replies arrive as {@link io.torsion.Deferred}s. They double as the reference for how a protocol
 * module is built on the core API alone.
 */
package io.torsion.protocols.echo;
