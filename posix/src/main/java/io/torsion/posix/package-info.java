/**
 * POSIX process limits that Netty does not expose, through JNA: the open-file limit that caps how
 * many connections a process can hold. Used by every transport at reactor creation.
 */
package io.torsion.posix;
