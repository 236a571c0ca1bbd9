package io.torsion.examples;

import io.torsion.Factory;
import io.torsion.Protocol;
import io.torsion.Reactor;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The smallest Torsion server: echoes every byte back. Run it, then {@code printf hi | nc 127.0.0.1
 * 8000}.
 */
public final class EchoServer {
  /** Writes back what it receives. */
  static final class Echo extends Protocol {
    @Override
    public void dataReceived(ByteBuffer data) {
      transport().write(data); // the buffer is lent for this call; writing it back is free
    }
  }

  private EchoServer() {}

  /** Serves echo on 127.0.0.1, port {@code args[0]} (8000 by default). */
  public static void main(String[] args) throws IOException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8000;
    Reactor reactor = Reactor.create(); // epoll, kqueue, iocp or nio: the best that runs here
    reactor.listenTCP(port, "127.0.0.1", Factory.of(Echo::new));
    System.out.println("echo on 127.0.0.1:" + port + " (" + reactor.report().transport() + ")");
    reactor.run(); // this thread is now the reactor thread
  }
}
