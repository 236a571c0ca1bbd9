# An echo server on Autobahn's own library (on Twisted), with permessage-deflate accepted.
# Prints "port N" once listening; stops when stdin closes.
import sys
from twisted.internet import reactor, stdio
from twisted.protocols.basic import LineReceiver
from autobahn.twisted.websocket import WebSocketServerFactory, WebSocketServerProtocol, listenWS
from autobahn.websocket.compress import PerMessageDeflateOffer, PerMessageDeflateOfferAccept

class Echo(WebSocketServerProtocol):
    def onMessage(self, payload, isBinary):
        self.sendMessage(payload, isBinary)

def accept(offers):
    for offer in offers:
        if isinstance(offer, PerMessageDeflateOffer):
            return PerMessageDeflateOfferAccept(offer)

factory = WebSocketServerFactory("ws://127.0.0.1:9")  # the URL names no port it listens on
factory.protocol = Echo
factory.setProtocolOptions(perMessageCompressionAccept=accept, maxMessagePayloadSize=0, maxFramePayloadSize=0)
port = reactor.listenTCP(0, factory, interface="127.0.0.1")

class Stop(LineReceiver):
    def connectionLost(self, reason):
        reactor.stop()

stdio.StandardIO(Stop())
print("port %d" % port.getHost().port, flush=True)
reactor.run()
