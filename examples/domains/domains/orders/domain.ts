// The orders domain, in TypeScript: an order names a user (checked with the users domain) and is paid through the
// payments domain, both reached through the runtime. Run by farm as `npx tsx domain.ts` (or, on Node.js 22.6+,
// `node --experimental-strip-types domain.ts`), so it uses only erasable TypeScript: no enums, no namespaces.
import { call, notFound, serveDomain } from "../../lib/fulcrum.cjs";

interface User {
  id: number;
  name: string;
}

interface Payment {
  id: number;
  status: string;
}

interface Order {
  id: number;
  user: number;
  items: string[];
  total: number;
  payment: number;
  status: "paid";
}

interface NewOrder {
  user?: unknown;
  items?: unknown;
  total?: unknown;
}

const orders: Order[] = [];

function invalid(body: NewOrder | undefined): string | null {
  if (!body || typeof body.user !== "number") return "user: expected a user id";
  if (!Array.isArray(body.items) || body.items.length === 0) return "items: expected a list of item names";
  if (typeof body.total !== "number" || body.total <= 0) return "total: expected a positive number";
  return null;
}

serveDomain(async ({ method, path, body }: { method: string; path: string; body: NewOrder | undefined }) => {
  if (method === "GET" && path === "/") {
    return { status: 200, body: orders };
  }
  if (method === "POST" && path === "/") {
    const problem = invalid(body);
    if (problem) {
      return { status: 400, body: { error: problem } };
    }
    const order = body as { user: number; items: string[]; total: number };
    const user: User = await call("GET", `/users/${order.user}`);
    const id = orders.length + 1;
    const payment: Payment = await call("POST", "/payments", { order: id, amount: order.total });
    const placed: Order = { id, user: user.id, items: order.items, total: order.total, payment: payment.id, status: "paid" };
    orders.push(placed);
    return { status: 201, body: placed };
  }
  const match = /^\/(\d+)$/.exec(path);
  if (method === "GET" && match) {
    const found = orders.find((o) => o.id === Number(match[1]));
    if (!found) {
      throw notFound(`no order ${match[1]}`);
    }
    return { status: 200, body: found };
  }
  throw notFound(`no route ${method} ${path} in orders`);
});
