/** The JNA bindings behind {@link io.torsion.posix.FileDescriptorLimit}; not exported. */
package io.torsion.posix.internal;
