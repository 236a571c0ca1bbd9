/**
 * Torsion's programming model, Twisted's with Java's types: the {@link io.torsion.Reactor} (the
 * event loop), {@link io.torsion.Protocol}s built by {@link io.torsion.Factory}s and talking
 * through {@link io.torsion.Transport}s, {@link io.torsion.Deferred} results, and timed calls.
 *
 * <p>This package depends on the JDK only and names no type of the transports that implement it:
 * Netty stays inside the {@code transport-*} modules, found at run time through {@link
 * io.torsion.spi.ReactorProvider}. Every callback of a connection runs on its reactor's thread, so
 * protocol code needs no locks; code that must block belongs on another thread.
 */
package io.torsion;
