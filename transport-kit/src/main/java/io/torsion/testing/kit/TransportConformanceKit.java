package io.torsion.testing.kit;

/**
 * The behaviour every transport must show, written once: every concern of the kit. A transport
 * module subclasses it and names itself; the kit talks to its reactors over loopback with plain JDK
 * sockets. A transport that cannot run on this machine is skipped, with its reason logged and given
 * to JUnit.
 *
 * <pre>{@code
 * class NioConformanceTest extends TransportConformanceKit {
 *     protected String transportName() { return "nio"; }
 * }
 * }</pre>
 */
public abstract class TransportConformanceKit extends ConformanceBase
    implements ConnectionConformance,
        ListeningConformance,
        ConnectingConformance,
        FlowControlConformance,
        FileDescriptorConformance,
        TimersConformance,
        WorkerPoolConformance,
        InlineConformance,
        ChildProcessConformance,
        SeveralThreadsConformance,
        StoppingConformance,
        TlsConformance,
        DatagramConformance,
        UnixSocketConformance,
        EndpointConformance {
  /** For subclasses: one per transport under test. */
  protected TransportConformanceKit() {}
}
