// Echo server on Node's `ws` with permessage-deflate, started by NodeDeflateInteropTest:
// `node deflate-echo.js '<perMessageDeflate options as JSON>'`. Prints "listening <port>", then
// for each connection "extensions <negotiated Sec-WebSocket-Extensions>". Echoes every message
// as it came (a compressed message is answered compressed when it passes ws's threshold).
// Exits when its standard input closes, so it never outlives the JVM that started it.
'use strict';
const { WebSocketServer } = require('ws');

const perMessageDeflate = JSON.parse(process.argv[2] || '{}');
const server = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 32 * 1024 * 1024, perMessageDeflate });

server.on('connection', (socket, request) => {
  process.stdout.write(`extensions ${request.url} ${socket.extensions || '(none)'}\n`);
  socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
  socket.on('close', (code) => process.stdout.write(`closed ${request.url} ${code}\n`));
});
server.on('listening', () => process.stdout.write(`listening ${server.address().port}\n`));

process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
