// The http-proxy-middleware side of the proxy benchmark (bench/proxy.py): Express with one
// createProxyMiddleware({ target }) on `/`, every other option at its default (as the original design shipped it: no
// keep-alive agent, so every proxied request opens a new upstream connection).
//   node bench/hpm-proxy.js LISTEN_PORT UPSTREAM_URL      (0 for an ephemeral port)
// Standard output: `ready PORT` once listening on 127.0.0.1. End of input exits.
'use strict';
const path = require('path');
const peers = path.join(__dirname, '.peers', 'node_modules');
const express = require(path.join(peers, 'express'));
const { createProxyMiddleware } = require(path.join(peers, 'http-proxy-middleware'));

const [port, target] = [Number(process.argv[2]), process.argv[3]];
const app = express();
app.use('/', createProxyMiddleware({ target }));
const server = app.listen(port, '127.0.0.1', () => {
  process.stdout.write(`ready ${server.address().port}\n`);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
