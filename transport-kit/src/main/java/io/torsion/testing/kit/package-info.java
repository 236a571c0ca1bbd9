/**
 * The transport conformance kit: the behaviour every transport must show, written once as JUnit 5
 * tests and run by each transport module against itself. Each concern is an interface of default
 * test methods ({@link io.torsion.testing.kit.ConnectionConformance}, {@link
 * io.torsion.testing.kit.FlowControlConformance}, {@link io.torsion.testing.kit.TimersConformance},
 * ...) over {@link io.torsion.testing.kit.ConformanceBase}; {@link
 * io.torsion.testing.kit.TransportConformanceKit} is all of them. A transport that cannot run on
 * the machine is reported as skipped, with why. {@link io.torsion.testing.kit.TransportUnderTest}
 * runs a protocol's own socket tests on every transport on the class path.
 */
package io.torsion.testing.kit;
