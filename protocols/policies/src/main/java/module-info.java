/**
 * Policies for servers on a public port: idle timeouts, connection limits and throttling. Builds on
 * the core API only.
 */
module io.torsion.protocols.policies {
  requires transitive io.torsion;

  exports io.torsion.protocols.policies;

  provides io.torsion.endpoints.EndpointParser with
      io.torsion.protocols.policies.ProxyProtocolEndpoints;
}
