// The payments domain: charges orders, in memory (a stand-in for a card processor). Run by farm as `node domain.js`.
'use strict';

const { serveDomain, notFound } = require('../../lib/fulcrum.cjs');

const currency = process.env.PAYMENTS_CURRENCY || 'EUR';
const payments = [];

serveDomain(async ({ method, path, body }) => {
  if (method === 'GET' && path === '/') {
    return { status: 200, body: payments };
  }
  if (method === 'POST' && path === '/') {
    if (!body || typeof body.amount !== 'number' || body.amount <= 0) {
      return { status: 400, body: { error: 'expected {"order": ..., "amount": a positive number}' } };
    }
    const payment = { id: payments.length + 1, order: body.order, amount: body.amount, currency, status: 'captured' };
    payments.push(payment);
    return { status: 201, body: payment };
  }
  throw notFound(`no route ${method} ${path} in payments`);
});
