# A client on Autobahn's own library (on Twisted): sends text and binary messages of every size
# class, compressed or not, fragmented or not, to argv[1]; checks each echo; closes with 4000.
# Prints "ok N" or "FAIL reason".
import sys, hashlib
from twisted.internet import reactor
from autobahn.twisted.websocket import WebSocketClientFactory, WebSocketClientProtocol, connectWS
from autobahn.websocket.compress import PerMessageDeflateOffer, PerMessageDeflateResponse, PerMessageDeflateResponseAccept

url, compress = sys.argv[1], sys.argv[2] == "deflate"
SIZES = [0, 1, 125, 126, 127, 65535, 65536, 1 << 20]
messages = []
for size in SIZES:
    messages.append((("é" * (size // 2) + "a" * (size % 2)).encode("utf-8"), False, 0))
    messages.append((bytes(range(256)) * (size // 256) + bytes(size % 256), True, 0))
messages.append((("fragmented κόσμε " * 1000).encode("utf-8"), False, 100))
result = {"text": "FAIL no result"}

class Client(WebSocketClientProtocol):
    def onOpen(self):
        self.i = 0
        self.sendNext()
    def sendNext(self):
        payload, binary, fragment = messages[self.i]
        self.sendMessage(payload, binary, fragmentSize=fragment or None)
    def onMessage(self, payload, binary):
        want, wbinary, _ = messages[self.i]
        if payload != want or binary != wbinary:
            result["text"] = "FAIL message %d: %d bytes back, %d sent" % (self.i, len(payload), len(want))
            self.sendClose(1000)
            return
        self.i += 1
        if self.i == len(messages):
            result["text"] = "ok %d compressed=%s" % (self.i, self._perMessageCompress is not None)
            self.sendClose(4000, "done")
        else:
            self.sendNext()
    def onClose(self, wasClean, code, reason):
        if result["text"].startswith("ok") and not (wasClean and code == 4000):
            result["text"] = "FAIL close clean=%s code=%s" % (wasClean, code)
        reactor.stop()

factory = WebSocketClientFactory(url)
factory.protocol = Client
if compress:
    def accept(response):
        if isinstance(response, PerMessageDeflateResponse):
            return PerMessageDeflateResponseAccept(response)
    factory.setProtocolOptions(perMessageCompressionOffers=[PerMessageDeflateOffer()], perMessageCompressionAccept=accept)
connectWS(factory)
reactor.callLater(60, reactor.stop)
reactor.run()
print(result["text"], flush=True)
