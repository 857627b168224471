// The part of the Fulcrum domain runtime these domains share, in plain Node.js (no npm packages).
//
// serveDomain(handler) answers HTTP on $PORT (farm picks it: port: auto in fulcrum.yml) and, once a second:
//   - posts a heartbeat to farm's control API, which restarts the domain when they stop (farm.yaml: heartbeat);
//   - tells the runtime at $FULCRUM_GRPC_SERVER (here the gateway) where the domain answers, so the gateway
//     learns of a domain, and of its new port after a restart, without being configured.
// POST /stall stops both, as a domain whose event loop or connection hung would: farm notices the missing
// heartbeats and restarts it.
'use strict';

const http = require('node:http');

const TICK_MS = 1000;

/**
 * Runs a domain.
 *
 * @param {(request: {method: string, path: string, body: any}) => Promise<{status: number, body?: any}>} handler
 *     answers a request to the domain; path is relative to it ("/", "/2")
 * @returns {http.Server}
 */
function serveDomain(handler) {
  const name = process.env.FULCRUM_DOMAIN_NAME || process.env.FARM_SERVICE_NAME || 'domain';
  const port = Number(process.env.PORT || 0);
  let timer;
  let stalled = false;

  const server = http.createServer(async (req, res) => {
    try {
      const path = new URL(req.url, 'http://domain').pathname;
      if (path === '/health') {
        return send(res, 200, { domain: name, stalled });
      }
      if (req.method === 'POST' && path === '/stall') {
        stalled = true;
        clearInterval(timer);
        console.log(`${name}: stalled on request: no more heartbeats; farm should restart this domain soon`);
        return send(res, 202, { domain: name, stalled, pid: process.pid });
      }
      const answer = await handler({ method: req.method, path, body: await readJson(req) });
      send(res, answer.status, answer.body);
    } catch (error) {
      send(res, error.status || 500, { error: String(error.message || error) });
    }
  });

  server.listen(port, '127.0.0.1', () => {
    const address = `http://127.0.0.1:${server.address().port}`;
    console.log(`${name}: listening on ${address} (pid ${process.pid}), registering with ${runtime() || 'no runtime'}`);
    tick(name, address);
    timer = setInterval(() => tick(name, address), TICK_MS);
  });

  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.on(signal, () => {
      clearInterval(timer);
      server.close();
      process.exit(0);
    });
  }
  return server;
}

/**
 * Calls another domain through the runtime, for example call('GET', '/users/1'). A 404 there means the request
 * named something that does not exist (422 here); any other failure is a 502.
 */
async function call(method, path, body) {
  const [host, port] = (runtime() || 'localhost:50051').split(':');
  const answer = await request({ host, port, method, path }, body);
  if (answer.status >= 400) {
    const error = new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    error.status = answer.status === 404 ? 422 : 502;
    throw error;
  }
  return answer.body;
}

let heartbeatFailing = false;

function tick(name, address) {
  const control = process.env.FARM_CONTROL_URL;
  if (control) {
    const url = new URL(`/v1/services/${encodeURIComponent(process.env.FARM_SERVICE_NAME)}/heartbeat`, control);
    request(
      {
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: url.pathname,
        headers: { Authorization: `Bearer ${process.env.FARM_CONTROL_TOKEN}` },
      },
      undefined,
    ).then(
      (answer) => reportHeartbeat(answer.status === 204 ? null : `answered ${answer.status}`),
      (error) => reportHeartbeat(error.message),
    );
  }
  if (runtime()) {
    call('POST', '/register', { name, url: address }).catch(() => {}); // the gateway may be restarting
  }
}

function reportHeartbeat(problem) {
  if (problem && !heartbeatFailing) {
    console.error(`heartbeat to farm failed: ${problem} (retrying every second)`);
  } else if (!problem && heartbeatFailing) {
    console.error('heartbeat to farm works again');
  }
  heartbeatFailing = Boolean(problem);
}

function runtime() {
  return process.env.FULCRUM_GRPC_SERVER;
}

function request(options, body) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? '' : JSON.stringify(body);
    const req = http.request(
      {
        ...options,
        timeout: 2000,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload), ...options.headers },
      },
      (res) => {
        readJson(res).then((json) => resolve({ status: res.statusCode, body: json }), reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(payload);
  });
}

function readJson(stream) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text ? JSON.parse(text) : undefined);
      } catch (error) {
        reject(Object.assign(new Error(`invalid JSON: ${error.message}`), { status: 400 }));
      }
    });
    stream.on('error', reject);
  });
}

function send(res, status, body) {
  if (body === undefined) {
    res.writeHead(status).end();
  } else {
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body) + '\n');
  }
}

/** An error that serveDomain answers with 404, for example throw notFound('no user 7'). */
function notFound(message) {
  return Object.assign(new Error(message), { status: 404 });
}

module.exports = { serveDomain, call, notFound };
