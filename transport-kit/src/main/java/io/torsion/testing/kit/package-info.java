/**
 * The transport conformance kit: the behaviour every transport must show, written once as JUnit 5
 * tests ({@link io.torsion.testing.kit.TransportConformanceKit}) and run by each transport module
 * against itself. A transport that cannot run on the machine is reported as skipped, with why.
 */
package io.torsion.testing.kit;
