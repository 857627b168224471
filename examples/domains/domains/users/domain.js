// The users domain: the shop's customers, in memory. Run by farm as `node domain.js` (see ../../farm.yaml).
'use strict';

const { serveDomain, notFound } = require('../../lib/fulcrum.cjs');

const users = new Map([
  [1, { id: 1, name: 'Ada Lovelace', email: 'ada@example.com' }],
  [2, { id: 2, name: 'Alan Turing', email: 'alan@example.com' }],
]);

serveDomain(async ({ method, path, body }) => {
  if (method === 'GET' && path === '/') {
    return { status: 200, body: [...users.values()] };
  }
  if (method === 'POST' && path === '/') {
    if (!body || typeof body.name !== 'string') {
      return { status: 400, body: { error: 'expected {"name": "...", "email": "..."}' } };
    }
    const user = { id: Math.max(0, ...users.keys()) + 1, name: body.name, email: body.email || null };
    users.set(user.id, user);
    return { status: 201, body: user };
  }
  const id = /^\/(\d+)$/.exec(path);
  if (method === 'GET' && id) {
    const user = users.get(Number(id[1]));
    if (!user) {
      throw notFound(`no user ${id[1]}`);
    }
    return { status: 200, body: user };
  }
  throw notFound(`no route ${method} ${path} in users`);
});
