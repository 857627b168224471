// The gateway: the one address of the shop (FULCRUM_GRPC_SERVER, localhost:50051), standing in for Fulcrum's runtime.
// Domains register here every second with their URL (see ../lib/fulcrum.cjs); /NAME/... goes to domain NAME.
//   GET  /              the registered domains, and how long ago each was last heard of
//   GET  /health        200 once listening (farm's ready probe)
//   POST /register      {name, url}: a domain says where it answers
//   ANY  /NAME/REST     forwarded to the domain as /REST: curl -X POST localhost:50051/users -d '{"name":"Grace"}'
'use strict';

const http = require('node:http');

const port = Number(process.env.PORT || 50051);
/** name -> { url, seen (ms since the epoch) } */
const domains = new Map();

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://gateway');
  const [, name, ...rest] = url.pathname.split('/');
  if (url.pathname === '/health') {
    return send(res, 200, { ok: true });
  }
  if (url.pathname === '/' || url.pathname === '') {
    const now = Date.now();
    return send(
      res,
      200,
      [...domains].map(([domain, at]) => ({ domain, url: at.url, last_seen_ms: now - at.seen })),
    );
  }
  if (req.method === 'POST' && url.pathname === '/register') {
    return register(req, res);
  }
  const target = domains.get(name);
  if (!target) {
    return send(res, 404, {
      error: `no domain '${name}' has registered`,
      domains: [...domains.keys()],
    });
  }
  forward(req, res, target, '/' + rest.join('/') + url.search);
});

function register(req, res) {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return send(res, 400, { error: 'expected {"name": ..., "url": ...}' });
    }
    if (typeof body.name !== 'string' || typeof body.url !== 'string') {
      return send(res, 400, { error: 'expected {"name": ..., "url": ...}' });
    }
    const known = domains.get(body.name);
    if (!known || known.url !== body.url) {
      console.log(`domain ${body.name} registered at ${body.url}`);
    }
    domains.set(body.name, { url: body.url, seen: Date.now() });
    res.writeHead(204).end();
  });
}

function forward(req, res, target, path) {
  const to = new URL(path, target.url);
  const upstream = http.request(
    { host: to.hostname, port: to.port, path: to.pathname + to.search, method: req.method, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', (error) => {
    if (!res.headersSent) {
      send(res, 502, { error: `domain at ${target.url} did not answer: ${error.message} (restarting?)` });
    } else {
      res.destroy();
    }
  });
  req.pipe(upstream);
}

function send(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body) + '\n');
}

server.listen(port, '127.0.0.1', () => console.log(`gateway listening on http://127.0.0.1:${port}`));

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close();
    process.exit(0);
  });
}
