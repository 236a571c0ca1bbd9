/**
 * The OpenSSL TLS engine, {@code openssl}: put {@code torsion-tls-openssl} on the class path and
 * every TLS connection of the JVM runs on BoringSSL (netty-tcnative) when its native library loads,
 * with the same options, behaviour and {@link io.torsion.tls.TlsInfo} as on the JDK's engine;
 * {@code -Dtorsion.tls.provider=jdk} goes back to the JDK's. Nothing here is called directly.
 */
package io.torsion.tls.openssl;
