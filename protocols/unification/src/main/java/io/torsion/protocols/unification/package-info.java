/**
 * Port unification: {@link io.torsion.protocols.unification.PortUnification} serves several
 * protocols on one listening port, choosing by each connection's first bytes, with a bounded sniff
 * and a timeout, and handing the connection over with {@link io.torsion.Transport#switchProtocol}.
 */
package io.torsion.protocols.unification;
