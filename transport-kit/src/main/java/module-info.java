/**
 * The conformance kit that every transport passes, for transport authors; tests in JUnit 5 and
 * AssertJ.
 */
module io.torsion.testing.kit {
  requires transitive io.torsion;
  requires transitive org.junit.jupiter.api;
  requires transitive org.assertj.core;
  requires io.torsion.posix;
  requires java.logging; // captures the accept warnings of the JDK logger

  exports io.torsion.testing.kit;

  opens io.torsion.testing.kit to
      org.junit.platform.commons;
}
