// One racer in a multi-process test: opens the shared SQLite file with the built core, waits
// for the common start time, performs one operation and prints its outcome as JSON.
import { createCore, openDatabase } from '@zelto/core';
import { FakeDns, RecordingMailer } from '@zelto/core/testing';

const [file, operation, bearer, argument, startAt] = process.argv.slice(2);
const database = openDatabase(file);
const core = createCore({
  database,
  mailer: new RecordingMailer(),
  dns: new FakeDns(),
  config: { publicUrl: 'http://zelto.test', bcryptCost: 4 },
});

async function principal(organization) {
  const auth = await core.authenticate(bearer, { organization });
  if (!auth.ok) throw new Error(`${auth.code}: ${auth.message}`);
  return auth.principal;
}

const run = {
  accept: async () => core.invitations.accept(await principal(), { token: argument }),
  join: async () => core.inviteLink.join(await principal(), { token: argument }),
  transfer: async () => core.members.transferOwnership(await principal(), { member: argument }),
  regenerate: async () => core.inviteLink.regenerate(await principal()),
  invite: async () => core.invitations.invite(await principal(), { email: argument }),
  // argument: "<batches>x<events per batch>:<prefix>" of 1-call events, recorded one batch after another.
  record: async () => {
    const [shape, prefix] = argument.split(':');
    const [batches, size] = shape.split('x').map(Number);
    const p = await principal();
    let accepted = 0;
    for (let b = 0; b < batches; b++) {
      const events = Array.from({ length: size }, (_, i) => ({
        meter: 'calls_analyzed',
        quantity: 1,
        idempotencyKey: `${prefix}-${b}-${i}`,
      }));
      accepted += (await core.usage.record(p, { events })).accepted;
    }
    return { accepted };
  },
};

const wait = Number(startAt) - Date.now();
if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
try {
  const result = await run[operation]();
  process.stdout.write(JSON.stringify({ ok: true, result }));
} catch (error) {
  process.stdout.write(JSON.stringify({ ok: false, code: error.code ?? 'crash', message: error.message }));
} finally {
  await database.close();
}
