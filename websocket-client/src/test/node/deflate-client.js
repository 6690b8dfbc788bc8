// A Node `ws` client with permessage-deflate against a leanws echo server, run by the server's
// NodeDeflateInteropTest: `node deflate-client.js <url> '<perMessageDeflate options as JSON>'`.
// Sends text and binary messages of many sizes (compressible and not, one fragmented, one with
// compression switched off), checks each echo, prints "extensions <negotiated>" and then "ok",
// or "fail <why>" with exit code 1. Exits on its own within 20 s.
'use strict';
const WebSocket = require('ws');
const crypto = require('crypto');

const url = process.argv[2];
const perMessageDeflate = JSON.parse(process.argv[3] || '{}');
const timer = setTimeout(() => fail('timed out'), 20000);

function fail(why) {
  process.stdout.write(`fail ${why}\n`);
  process.exit(1);
}

function json(size) {
  let s = '';
  for (let i = 0; s.length < size; i++) s += `{"id":${i % 997},"name":"user${i % 50}","tags":["a","b"]}`;
  return s.slice(0, size);
}

const sends = [];
for (const size of [0, 1, 100, 1023, 1024, 5000, 40000, 70000, 300000]) sends.push({ data: json(size), binary: false });
sends.push({ data: crypto.randomBytes(50000), binary: true });
sends.push({ data: json(20000), binary: false });
sends.push({ data: Buffer.from(json(8000)), binary: true, compress: false });
sends.push({ data: 'κόσμε 𝄞 '.repeat(500), binary: false });

const ws = new WebSocket(url, { perMessageDeflate });
const expected = [];
ws.on('open', () => {
  process.stdout.write(`extensions ${ws.extensions || '(none)'}\n`);
  for (const s of sends) {
    ws.send(s.data, { binary: s.binary, compress: s.compress !== false });
    expected.push(Buffer.from(s.data));
  }
  // A fragmented compressed message: ws compresses each fragment into one DEFLATE stream.
  const whole = json(30000);
  ws.send(whole.slice(0, 10000), { fin: false });
  ws.send(whole.slice(10000, 20000), { fin: false });
  ws.send(whole.slice(20000), { fin: true });
  expected.push(Buffer.from(whole));
});
let received = 0;
ws.on('message', (data) => {
  const want = expected[received++];
  if (!want.equals(data)) fail(`message ${received} differs (${data.length} bytes, want ${want.length})`);
  if (received === sends.length + 1) ws.close(1000);
});
ws.on('close', (code) => {
  clearTimeout(timer);
  if (received !== sends.length + 1) fail(`closed with ${code} after ${received} messages`);
  process.stdout.write('ok\n');
  process.exit(0);
});
ws.on('error', (e) => fail(e.message));
