/**
 * The {@code epoll} transport: Netty's native epoll. Its native libraries are modules of their own,
 * required here so that they are resolved on the module path too.
 */
module io.torsion.transport.epoll {
  requires transitive io.torsion;
  requires io.torsion.transport.netty;
  requires io.netty.transport.classes.epoll;
  requires io.netty.transport.epoll.linux.x86_64;
  requires io.netty.transport.epoll.linux.aarch_64;

  exports io.torsion.transport.epoll;

  provides io.torsion.spi.ReactorProvider with
      io.torsion.transport.epoll.EpollReactorProvider;
}
