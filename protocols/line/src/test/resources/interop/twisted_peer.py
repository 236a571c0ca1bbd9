"""A Twisted peer for Torsion's interop tests (Debian's python3-twisted).

  twisted_peer.py line-client PORT LINE...   send the lines (in two uneven writes), print each reply line, then DONE
  twisted_peer.py SERVER                     line-server | netstring-server | int32-server: print the port,
                                              reverse every line or string received; ends after 60 s at most
"""
import sys

from twisted.internet import protocol, reactor
from twisted.protocols.basic import Int32StringReceiver, LineReceiver, NetstringReceiver

mode = sys.argv[1]
reactor.callLater(60, reactor.stop)  # bounded, whatever happens

if mode == "line-client":
    port = int(sys.argv[2])
    lines = [arg.encode("utf-8") for arg in sys.argv[3:]]

    class Client(LineReceiver):
        MAX_LENGTH = 1 << 20

        def connectionMade(self):
            self.replies = 0
            data = b"".join(line + b"\r\n" for line in lines)
            cut = len(data) // 3
            self.transport.write(data[:cut])
            reactor.callLater(0.05, self.transport.write, data[cut:])

        def lineReceived(self, line):
            sys.stdout.write(line.decode("utf-8") + "\n")
            self.replies += 1
            if self.replies == len(lines):
                sys.stdout.write("DONE\n")
                sys.stdout.flush()
                self.transport.loseConnection()

        def connectionLost(self, reason):
            if reactor.running:
                reactor.stop()

    protocol.ClientCreator(reactor, Client).connectTCP("127.0.0.1", port)
    reactor.run()
else:
    class Lines(LineReceiver):
        def lineReceived(self, line):
            self.sendLine(line[::-1])

    class Netstrings(NetstringReceiver):
        def stringReceived(self, string):
            self.sendString(string[::-1])

    class Int32s(Int32StringReceiver):
        def stringReceived(self, string):
            self.sendString(string[::-1])

    servers = {"line-server": Lines, "netstring-server": Netstrings, "int32-server": Int32s}
    listening = reactor.listenTCP(0, protocol.Factory.forProtocol(servers[mode]), interface="127.0.0.1")
    sys.stdout.write("%d\n" % listening.getHost().port)
    sys.stdout.flush()
    reactor.run()
