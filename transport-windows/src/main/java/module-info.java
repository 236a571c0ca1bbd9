/**
 * The {@code iocp} transport: the JDK's asynchronous channels (I/O completion ports on Windows).
 */
module io.torsion.transport.windows {
  requires transitive io.torsion;
  requires io.torsion.posix;

  exports io.torsion.transport.windows;

  provides io.torsion.spi.ReactorProvider with
      io.torsion.transport.windows.IocpReactorProvider;
}
