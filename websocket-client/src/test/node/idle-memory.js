// Memory probe for docs/compression.md: `node idle-memory.js <url> <connections> [--deflate]`.
// Opens the connections (with permessage-deflate offered as browsers do when --deflate), prints
// "open", then on a line on stdin sends one 16 KiB JSON-like text on each and waits for every
// echo, prints "echoed", and keeps the connections open until stdin closes. The caller reads the
// server's memory at each step.
'use strict';
const WebSocket = require('ws');
const readline = require('readline');

const [url, countText, flag] = process.argv.slice(2);
const count = Number(countText);
const perMessageDeflate = flag === '--deflate' ? { threshold: 0 } : false;
let text = '';
for (let i = 0; text.length < 16384; i++) text += `{"id":${i % 997},"name":"user${i % 50}","tags":["a","b"]}`;
text = text.slice(0, 16384);

const sockets = [];
let opened = 0;
function openNext() {
  if (sockets.length === count) return;
  const ws = new WebSocket(url, { perMessageDeflate });
  sockets.push(ws);
  ws.on('open', () => {
    if (++opened === count) process.stdout.write(`open ${ws.extensions || '(none)'}\n`);
    openNext();
  });
  ws.on('error', (e) => { process.stdout.write(`error ${e.message}\n`); process.exit(1); });
}
for (let i = 0; i < 20; i++) openNext();

const lines = readline.createInterface({ input: process.stdin });
lines.on('line', () => {
  let echoed = 0;
  for (const ws of sockets) {
    ws.once('message', () => { if (++echoed === count) process.stdout.write('echoed\n'); });
    ws.send(text);
  }
});
lines.on('close', () => process.exit(0));
