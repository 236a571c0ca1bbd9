package io.torsion.transport.netty.internal;

/** Decides which throwables user code may throw and be contained, and which must propagate. */
final class Fatal {
  private Fatal() {}

  /** Rethrows errors after which the JVM cannot be trusted to go on (except stack overflow). */
  static void rethrowIfFatal(Throwable error) {
    if (error instanceof VirtualMachineError && !(error instanceof StackOverflowError)) {
      throw (VirtualMachineError) error;
    }
  }
}
