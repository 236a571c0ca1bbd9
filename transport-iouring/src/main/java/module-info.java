/**
 * The {@code io_uring} transport: Netty's native io_uring (Linux, when forced). Its native
 * libraries are modules of their own, required here so that they are resolved on the module path.
 */
module io.torsion.transport.iouring {
  requires transitive io.torsion;
  requires io.torsion.transport.netty;
  requires io.netty.transport.classes.io_uring;
  // Netty 4.2.18's aarch_64 native jar names its module ...linux.x86_64 too, so one name serves
  // both: whichever jar comes first on the module path is used (the x86_64 one, as listed here).
  requires io.netty.transport.io_uring.linux.x86_64;

  exports io.torsion.transport.iouring;

  provides io.torsion.spi.ReactorProvider with
      io.torsion.transport.iouring.IoUringReactorProvider;
}
