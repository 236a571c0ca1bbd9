/**
 * The Netty network: a {@code ManualIoEventLoop} per reactor thread ({@code NettyLoop}, the
 * poller), listening channels with an accept handler that backs off when out of descriptors, and
 * {@code NettySocket}, the channel's only handler, which maps the socket operations onto the
 * channel and its events onto {@link io.torsion.spi.SocketEvents}, lending reads without copies.
 * Not API.
 */
package io.torsion.transport.netty.internal;
