/** Every transport, for applications that let the reactor choose at run time. */
module io.torsion.transports.all {
  requires transitive io.torsion;
  requires io.torsion.transport.nio;
  requires io.torsion.transport.epoll;
  requires io.torsion.transport.kqueue;
  requires io.torsion.transport.iouring;
  requires io.torsion.transport.windows;
}
