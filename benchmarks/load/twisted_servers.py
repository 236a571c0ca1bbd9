"""Twisted itself on the load harness's work, for the record: echo and HTTP plaintext.

Usage: python3 twisted_servers.py echo|http PORT [CERT KEY]
Uses Twisted's default reactor (epoll on Linux) on 127.0.0.1 and prints one line when listening.
With CERT and KEY (PEM) it listens with TLS (listenSSL, pyOpenSSL), as load/tls.sh runs it.
"""
import sys

from twisted.internet import protocol, reactor
from twisted.web import resource, server


class Echo(protocol.Protocol):
    def dataReceived(self, data):
        self.transport.write(data)


class Plaintext(resource.Resource):
    isLeaf = True

    def render_GET(self, request):
        request.setHeader(b"content-type", b"text/plain")
        return b"Hello, World!"


def main():
    kind, port = sys.argv[1], int(sys.argv[2])
    if kind == "echo":
        factory = protocol.Factory.forProtocol(Echo)
    elif kind == "http":
        factory = server.Site(Plaintext())
        factory.log = lambda request: None  # no access log: it would measure the disk
    else:
        raise SystemExit("the kind is echo or http, not " + kind)
    # The backlog the other servers get (Netty and the C server take the kernel's somaxconn, 4096):
    # with Twisted's default of 50, a connection storm overflows it and waits for SYN retries.
    if len(sys.argv) > 4:
        from twisted.internet import ssl

        with open(sys.argv[3]) as cert, open(sys.argv[4]) as key:
            options = ssl.PrivateCertificate.loadPEM(key.read() + cert.read()).options()
        reactor.listenSSL(port, factory, options, backlog=4096, interface="127.0.0.1")
        kind = "tls-" + kind
    else:
        reactor.listenTCP(port, factory, backlog=4096, interface="127.0.0.1")
    print("twisted-%s: %s 127.0.0.1:%d" % (kind, type(reactor).__name__, port), flush=True)
    reactor.run()


if __name__ == "__main__":
    main()
