// Echo server on Node's `ws`, started by NodeInteropTest: `node echo.js <port>` (0 picks a free one);
// `node echo.js <port> --tls-cert CHAIN.pem --tls-key KEY.pem` serves wss:// (Node's https server).
// Prints "listening <port>" once it accepts connections. Echoes text and binary; the text
// "!close CODE REASON" makes it close with that code, "!headers" answers the request's URL and
// headers as JSON; prints "closed URL CODE REASON" for each connection that ended; offers the
// subprotocol chat.v1 when asked.
// Exits when its standard input closes, so it never outlives the JVM that started it.
'use strict';
const { WebSocketServer } = require('ws');
const fs = require('fs');
const https = require('https');

const port = Number(process.argv[2] || 0);
const option = (name) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
};
const options = {
  maxPayload: 32 * 1024 * 1024,
  handleProtocols: (offered) => (offered.has('chat.v1') ? 'chat.v1' : false),
};
let tls = null;
if (option('--tls-cert')) {
  tls = https.createServer({ cert: fs.readFileSync(option('--tls-cert')), key: fs.readFileSync(option('--tls-key')) });
  options.server = tls;
} else {
  options.host = '127.0.0.1';
  options.port = port;
}
const server = new WebSocketServer(options);

server.on('connection', (socket, request) => {
  socket.on('message', (data, isBinary) => {
    const text = isBinary ? null : data.toString('utf8');
    if (text !== null && text.startsWith('!close ')) {
      const [, code, ...reason] = text.split(' ');
      socket.close(Number(code), reason.join(' '));
    } else if (text === '!headers') {
      socket.send(JSON.stringify({ url: request.url, headers: request.headers }));
    } else {
      socket.send(data, { binary: isBinary });
    }
  });
  socket.on('close', (code, reason) => {
    process.stdout.write(`closed ${request.url} ${code} ${reason.toString('utf8')}\n`);
  });
});

const listening = tls || server;
listening.on('listening', () => {
  process.stdout.write(`listening ${listening.address().port}\n`);
});
if (tls) {
  tls.listen(port, '127.0.0.1');
}

process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
