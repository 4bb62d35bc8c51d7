// The baseline for GET /v1/members: a bare node:http server on better-sqlite3 answering the
// same JSON for the same organization, with no framework, no authentication, no logging.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../packages/core/package.json', import.meta.url));
const Database = require('better-sqlite3');

const [file, orgId, port] = process.argv.slice(2);
const db = new Database(file, { readonly: true });
const list = db.prepare(
  `select m.user_id, u.email, u.name, m.role, m.joined_at, m.joined_via
     from memberships m join users u on u.id = m.user_id
    where m.org_id = ? order by m.joined_at desc, m.id desc limit 51`,
);

const server = createServer((_request, res) => {
  const rows = list.all(orgId);
  const data = rows.slice(0, 50).map((r) => ({
    userId: r.user_id,
    email: r.email,
    name: r.name,
    role: r.role,
    joinedAt: new Date(r.joined_at).toISOString(),
    joinedVia: r.joined_via,
  }));
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ data, nextCursor: null }));
});
server.listen(Number(port), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
