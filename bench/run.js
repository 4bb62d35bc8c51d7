// `pnpm bench`: every figure beside a baseline measured in the same run, on this machine.
// Prints one table (and writes it to .zelto/bench/results.md). Uses the built packages.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const root = fileURLToPath(new URL('..', import.meta.url));
const core = await import(join(root, 'packages/core/dist/index.js'));
const { createRequire } = await import('node:module');
const requireFromCore = createRequire(join(root, 'packages/core/package.json'));
const bcrypt = requireFromCore('bcryptjs');
const Database = requireFromCore('better-sqlite3');

const QUICK = process.argv.includes('--quick');
const EVENTS_TOTAL = QUICK ? 100_000 : 1_000_000;
const DURATION = QUICK ? 3 : 6;
const dir = join(root, '.zelto', 'bench');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

const rows = [];
function row(what, value, unit, baselineName, baseline, better = 'higher') {
  const ratio = better === 'higher' ? value / baseline : baseline / value;
  rows.push({ what, value, unit, baselineName, baseline, ratio });
  console.error(`  ${what}: ${fmt(value)} ${unit} (baseline ${baselineName}: ${fmt(baseline)})`);
}
const fmt = (n) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(n >= 10 ? 1 : 2));
const now = () => performance.now();
const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];

function openCore(file) {
  const database = core.openSqlite(file);
  return {
    database,
    core: core.createCore({
      database,
      mailer: { send: async () => {} },
      dns: { resolveTxt: async () => [] },
      config: { publicUrl: 'http://127.0.0.1', bcryptCost: 4 },
    }),
  };
}

async function principal(c, token, organization) {
  const auth = await c.authenticate(token, { organization });
  if (!auth.ok) throw new Error(auth.message);
  return auth.principal;
}

/** A free TCP port on loopback. */
async function freePort() {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts a server process on a free port and resolves once `probe` answers 200. */
async function child(args, env, probe) {
  const port = await freePort();
  const proc = spawn(process.execPath, [...args, String(port)], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 200; i++) {
    if (proc.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${proc.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}${probe}`)).ok) return { proc, port };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${args.join(' ')} did not start`);
}

function peakRssMb(pid) {
  try {
    const status = requireFromCore('node:fs').readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return Number.NaN;
  }
}

async function load(url, options = {}) {
  const result = await autocannon({ url, connections: 10, duration: DURATION, ...options });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.requests.average;
}

console.error(
  `zelto bench (${QUICK ? 'quick' : 'full'}): ${cpus().length} × ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
);

// --- Seed: an organization with 50 members and keys, on a SQLite file ---
const dbFile = join(dir, 'zelto.db');
let { database, core: c } = openCore(dbFile);
await core.migrateToLatest(database);
const created = await c.operator.createOrganization({ name: 'Bench', ownerEmail: 'owner@bench.test' });
const ownerKey = created.apiKey.secret;
const ownerP = await principal(c, ownerKey);
const link = (await c.inviteLink.get(ownerP)).url.split('/join/')[1];
for (let i = 0; i < 49; i++) {
  const email = `m${i}@bench.test`;
  await c.accounts.signUp({ email, password: 'bench password', name: `Member ${i}` });
  const session = await c.accounts.signIn({ email, password: 'bench password' });
  await c.inviteLink.join(await principal(c, session.token), { token: link });
}
await c.operator.setQuota('bench', { meter: 'transcript_minutes', monthly: 1_000_000_000 });
await c.operator.setQuota('bench', { meter: 'calls_analyzed', monthly: 1_000_000_000 });
await c.operator.setPaymentMethod('bench', true);

// --- 1. API key verification vs bcrypt at cost 10 ---
console.error('API key verification');
{
  const n = QUICK ? 5_000 : 20_000;
  let t = now();
  for (let i = 0; i < n; i++) if (!(await c.authenticate(ownerKey)).ok) throw new Error('key refused');
  const keyRate = n / ((now() - t) / 1000);
  const hash = bcrypt.hashSync('a password', 10);
  const m = QUICK ? 5 : 20;
  t = now();
  for (let i = 0; i < m; i++) await bcrypt.compare('a password', hash);
  const bcryptRate = m / ((now() - t) / 1000);
  row('API key verification (core, SQLite)', keyRate, 'verifications/s', 'bcryptjs cost 10', bcryptRate);
}
await database.close();

// --- 2 and 3. HTTP: GET /v1/members (50) vs bare node:http; MCP list_members vs REST ---
console.error('HTTP');
// Request logging off in both: the comparison is of the request path, not of log volume.
const zelto = await child(['packages/cli/dist/bin.js', 'serve', '--port'], { ZELTO_DB: dbFile, LOG_LEVEL: 'warn' }, '/healthz');
const zeltoPort = zelto.port;
const baseline = await child(['bench/baseline-server.js', dbFile, created.organization.id], {}, '/v1/members');
const baselinePort = baseline.port;
const auth = { authorization: `Bearer ${ownerKey}` };
const restRate = await load(`http://127.0.0.1:${zeltoPort}/v1/members?limit=50`, { headers: auth });
const bareRate = await load(`http://127.0.0.1:${baselinePort}/v1/members`);
row('GET /v1/members, 50 members (zelto serve)', restRate, 'requests/s', 'bare node:http + better-sqlite3', bareRate);
const mcpRate = await load(`http://127.0.0.1:${zeltoPort}/mcp`, {
  method: 'POST',
  headers: { ...auth, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
  body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list_members', arguments: { limit: 50 } } }),
});
row('MCP list_members over HTTP (50 members)', mcpRate, 'requests/s', 'the REST route above', restRate);

// Ingestion over HTTP: batches of 1,000, two clients.
{
  const batches = QUICK ? 20 : 60;
  let sent = 0;
  const t = now();
  await Promise.all(
    [0, 1].map(async (client) => {
      for (let b = client; b < batches; b += 2) {
        const events = Array.from({ length: 1000 }, (_, i) => ({
          meter: 'transcript_minutes',
          quantity: '1.5',
          idempotencyKey: `http-${b}-${i}`,
        }));
        const res = await fetch(`http://127.0.0.1:${zeltoPort}/v1/usage/events`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ events }),
        });
        if (res.status !== 200) throw new Error(`ingestion over HTTP: ${res.status} ${await res.text()}`);
        sent += (await res.json()).accepted;
      }
    }),
  );
  rows.push({ pending: 'http-ingest', value: sent / ((now() - t) / 1000) });
}
const servePeak = peakRssMb(zelto.proc.pid);
zelto.proc.kill('SIGTERM');
baseline.proc.kill('SIGTERM');
await new Promise((r) => zelto.proc.once('exit', r));

// --- 4. Ingestion through the core vs a bare better-sqlite3 insert loop ---
console.error('Ingestion');
({ database, core: c } = openCore(dbFile));
const keyP = await principal(c, ownerKey);
const day = 86_400_000;
const start = Date.now();
let ingested = 0;
let ingestMs = 0;
const HOUR = 3_600_000;
for (let b = 0; ingested < EVENTS_TOTAL; b++) {
  const events = Array.from({ length: 1000 }, (_, i) => ({
    meter: i % 3 === 0 ? 'calls_analyzed' : 'transcript_minutes',
    quantity: i % 3 === 0 ? 1 : '2.25',
    source: ['api_call_upload', 'zoom_import', 'web'][i % 3],
    // Spread over the last 30 days.
    occurredAt: new Date(start - ((b * 1000 + i) % (30 * 24)) * HOUR - (i % 60) * 60_000).toISOString(),
    idempotencyKey: `core-${b}-${i}`,
  }));
  const t = now();
  const result = await c.usage.record(keyP, { events });
  ingestMs += now() - t;
  if (result.accepted !== 1000) throw new Error(`batch ${b}: ${result.accepted} accepted`);
  ingested += 1000;
}
const coreRate = ingested / (ingestMs / 1000);
{
  const bare = new Database(join(dir, 'bare.db'));
  bare.pragma('journal_mode = WAL');
  bare.pragma('synchronous = NORMAL');
  bare.exec(`create table usage_events (id text primary key, org_id text not null, meter text not null, quantity integer not null,
    source text not null, occurred_at integer not null, recorded_at integer not null, idempotency_key text not null, payload_hash text not null,
    from_quota integer not null, from_grants integer not null, overage integer not null, period text not null);
    create unique index usage_events_idempotency on usage_events (org_id, idempotency_key);`);
  const insert = bare.prepare('insert into usage_events values (?,?,?,?,?,?,?,?,?,?,?,?,?)');
  const n = QUICK ? 100_000 : 200_000;
  const t = now();
  for (let b = 0; b < n / 1000; b++) {
    bare.transaction(() => {
      for (let i = 0; i < 1000; i++) {
        insert.run(
          `use_${b}_${i}`,
          'org',
          'transcript_minutes',
          2250,
          'web',
          start,
          start,
          `bare-${b}-${i}`,
          'x'.repeat(64),
          2250,
          0,
          0,
          '2026-12',
        );
      }
    })();
  }
  const bareRate = n / ((now() - t) / 1000);
  bare.close();
  row(
    'Usage ingestion through the core (batches of 1,000; idempotency + hard limit)',
    coreRate,
    'events/s',
    'bare better-sqlite3 insert loop',
    bareRate,
  );
  const http = rows.find((r) => r.pending === 'http-ingest');
  rows.splice(rows.indexOf(http), 1);
  row('Usage ingestion over HTTP (POST /v1/usage/events, 2 clients)', http.value, 'events/s', 'bare better-sqlite3 insert loop', bareRate);
}

// --- 5. Report latency with 1M events stored ---
console.error(`Reports over ${ingested.toLocaleString('en-US')} events`);
{
  const runs = QUICK ? 20 : 100;
  const to = new Date(start).toISOString().slice(0, 10);
  const from = new Date(start - 29 * day).toISOString().slice(0, 10);
  const daily = [];
  for (let i = 0; i < runs; i++) {
    const t = now();
    const report = await c.usage.daily(ownerP, { from, to });
    daily.push(now() - t);
    if (report.days.length !== 30) throw new Error('daily report is wrong');
  }
  const summaries = [];
  for (let i = 0; i < runs; i++) {
    const t = now();
    await c.usage.summary(ownerP);
    summaries.push(now() - t);
  }
  // Baseline: the same daily totals computed from the raw events (what rollups avoid).
  const raw = new Database(dbFile, { readonly: true });
  const scan = raw.prepare(
    `select (occurred_at - ?) / 86400000 as d, meter, sum(quantity) as q from usage_events
      where org_id = ? and occurred_at >= ? and occurred_at < ? group by d, meter`,
  );
  const naive = [];
  const fromMs = Date.parse(`${from}T00:00:00Z`);
  for (let i = 0; i < Math.min(runs, 10); i++) {
    const t = now();
    scan.all(fromMs, created.organization.id, fromMs, fromMs + 30 * day);
    naive.push(now() - t);
  }
  raw.close();
  row(
    `Daily report, 30 days, ${fmtCount(ingested)} events stored (p50)`,
    percentile(daily, 50),
    'ms',
    'aggregating the raw events',
    percentile(naive, 50),
    'lower',
  );
  row(
    `Daily report, 30 days, ${fmtCount(ingested)} events stored (p95)`,
    percentile(daily, 95),
    'ms',
    'aggregating the raw events',
    percentile(naive, 50),
    'lower',
  );
  row('Usage summary, this month (p50)', percentile(summaries, 50), 'ms', 'aggregating the raw events', percentile(naive, 50), 'lower');
}
await database.close();

function fmtCount(n) {
  return n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`;
}

// --- 6. Peak memory ---
const benchPeak = process.resourceUsage().maxRSS / 1024;

const lines = [
  `| measurement | zelto | baseline (same run) | ratio |`,
  `|---|---|---|---|`,
  ...rows.map(
    (r) =>
      `| ${r.what} | ${fmt(r.value)} ${r.unit} | ${r.baselineName}: ${fmt(r.baseline)} ${r.unit} | ${r.ratio >= 1 ? `${r.ratio.toFixed(1)}x better` : `${(1 / r.ratio).toFixed(1)}x slower`} |`,
  ),
  `| Peak memory, zelto serve under the HTTP load | ${fmt(servePeak)} MiB | | |`,
  `| Peak memory, the bench process (core with ${fmtCount(ingested)} events) | ${fmt(benchPeak)} MiB | | |`,
];
const header = `zelto bench, ${new Date().toISOString()}: ${cpus().length} × ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, SQLite file, ${DURATION}s HTTP runs, 10 connections`;
const table = `${header}\n\n${lines.join('\n')}\n`;
writeFileSync(join(dir, 'results.md'), table);
process.stdout.write(`\n${table}`);
