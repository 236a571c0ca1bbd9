/**
 * The examples and the demo: applications of Torsion, runnable from the class path (the demo's fat
 * jar) or the module path ({@code java -p <jars> -m io.torsion.examples/io.torsion.examples.Demo}).
 * Transports are not required: the core finds them as services on the module path.
 */
module io.torsion.examples {
  requires io.torsion;
  requires io.torsion.protocols.echo;
  requires io.torsion.protocols.http;
  requires io.torsion.protocols.line;
  requires io.torsion.protocols.policies;
  requires io.torsion.protocols.unification;
  requires io.torsion.protocols.websocket;
  requires io.torsion.protocols.redis;
  requires java.logging;
  requires static io.torsion.micrometer; // --metrics only: the demo runs without them
  requires static micrometer.core;
  requires static micrometer.registry.prometheus;

  exports io.torsion.examples;
}
