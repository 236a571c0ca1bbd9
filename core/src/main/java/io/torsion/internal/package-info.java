/**
 * Implementation details of the core, not API: transport selection behind {@link
 * io.torsion.Reactor#create()}. Nothing outside the core module may use it (an architecture test
 * checks), and it may change in any release.
 */
package io.torsion.internal;
