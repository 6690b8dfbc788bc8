// A wss:// client on Node's `ws`, started by the server's TLS interop test:
// `node tls-client.js URL CA.pem MESSAGE...` sends each MESSAGE as text, prints "echo <text>" for
// each echo, then closes with 1000 and prints "closed CODE". Host name verification is Node's
// (on); the server's certificate must chain to CA.pem. Errors print "error <message>", exit 1.
'use strict';
const WebSocket = require('ws');
const fs = require('fs');

const [url, caFile, ...messages] = process.argv.slice(2);
const socket = new WebSocket(url, { ca: fs.readFileSync(caFile) });
let left = messages.length;
socket.on('open', () => {
  for (const m of messages) {
    socket.send(m);
  }
  if (left === 0) {
    socket.close(1000);
  }
});
socket.on('message', (data) => {
  process.stdout.write(`echo ${data.toString('utf8')}\n`);
  if (--left === 0) {
    socket.close(1000);
  }
});
socket.on('close', (code) => {
  process.stdout.write(`closed ${code}\n`);
  process.exit(0);
});
socket.on('error', (e) => {
  process.stdout.write(`error ${e.message}\n`);
  process.exit(1);
});
