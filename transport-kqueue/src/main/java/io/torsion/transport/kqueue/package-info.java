/**
 * The kqueue transport: Netty's native kqueue I/O handler, the default on macOS and BSD. Ships the
 * natives for osx-x86_64 and osx-aarch_64; on other systems it reports itself unavailable.
 */
package io.torsion.transport.kqueue;
