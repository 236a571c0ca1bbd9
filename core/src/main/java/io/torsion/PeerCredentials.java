package io.torsion;

/**
 * Who is at the other end of a UNIX domain socket, as the kernel vouches for it (Linux's {@code
 * SO_PEERCRED}, the BSDs' {@code LOCAL_PEERCRED}): the peer's process, user and group when it
 * connected. {@link Transport#peerCredentials()} gives it where the transport and the OS can.
 *
 * @param pid the peer's process id, or -1 where the OS does not say
 * @param uid the peer's user id
 * @param gid the peer's (primary) group id
 */
public record PeerCredentials(long pid, int uid, int gid) {}
