// npm's ws as the other end: "server" echoes (permessage-deflate on) and prints "port N";
// "client URL deflate|plain" sends text and binary of every size class, checks each echo, closes
// with 4000 and prints "ok N compressed=BOOL" or "FAIL ...".
const WebSocket = require(process.env.WS_MODULE);
const [mode, url, compression] = process.argv.slice(2);
if (mode === 'server') {
  const server = new WebSocket.WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: true, maxPayload: 32 << 20 });
  server.on('connection', (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })));
  server.on('listening', () => console.log('port ' + server.address().port));
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
} else {
  const sizes = [0, 1, 125, 126, 127, 65535, 65536, 1 << 20];
  const messages = [];
  for (const size of sizes) {
    messages.push({ data: 'é'.repeat(Math.floor(size / 2)) + 'a'.repeat(size % 2), binary: false });
    const bytes = Buffer.alloc(size);
    for (let i = 0; i < size; i++) bytes[i] = i & 0xff;
    messages.push({ data: bytes, binary: true });
  }
  const ws = new WebSocket(url, { perMessageDeflate: compression === 'deflate', maxPayload: 32 << 20 });
  let i = 0;
  let result = 'FAIL no result';
  const next = () => ws.send(messages[i].data, { binary: messages[i].binary });
  ws.on('open', next);
  ws.on('message', (data, isBinary) => {
    const want = messages[i];
    const same = want.binary ? isBinary && Buffer.compare(data, want.data) === 0 : !isBinary && data.toString('utf8') === want.data;
    if (!same) { result = 'FAIL message ' + i; ws.close(1000); return; }
    if (++i === messages.length) {
      result = 'ok ' + i + ' compressed=' + (ws.extensions.indexOf('permessage-deflate') >= 0);
      ws.close(4000, 'done');
    } else next();
  });
  ws.on('close', (code) => {
    if (result.startsWith('ok') && code !== 4000) result = 'FAIL close ' + code;
    console.log(result);
    process.exit(0);
  });
  ws.on('error', (e) => { console.log('FAIL ' + e.message); process.exit(0); });
  setTimeout(() => { console.log('FAIL timeout, at message ' + i); process.exit(0); }, 60000);
}
