import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupsAfterEach, createAcme, serveZelto, tempDir, zelto } from './zelto-process.js';

interface Received {
  from: string | undefined;
  to: string[];
  raw: string;
  user: string | undefined;
}

/** A real SMTP server on loopback that keeps what it receives. */
async function smtpSink() {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    onAuth(auth, _session, callback) {
      if (auth.username === 'zelto' && auth.password === 'secret') return callback(null, { user: auth.username });
      return callback(new Error('bad credentials'));
    },
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => {
        raw += chunk.toString();
      });
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          user: session.user as string | undefined,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { received, port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('email delivery', () => {
  const cleanups = cleanupsAfterEach(afterEach);

  it('sends invitations through SMTP when SMTP_URL is set', async () => {
    const sink = await smtpSink();
    cleanups.push(sink.close);
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const env = {
      ZELTO_DB: `${tmp.dir}/zelto.db`,
      SMTP_URL: `smtp://zelto:secret@127.0.0.1:${sink.port}`,
      ZELTO_MAIL_FROM: 'Zelto <hello@zelto.test>',
    };
    const { ownerKey } = await createAcme(env);
    const served = await serveZelto(env);
    cleanups.push(() => served.stop());
    const invite = await fetch(`${served.url}/v1/invitations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ownerKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'bo@acme.test', role: 'admin' }),
    });
    expect(await invite.json()).toMatchObject({ results: [{ outcome: 'invited', emailSent: true }] });
    expect(sink.received).toHaveLength(1);
    const [mail] = sink.received;
    expect(mail).toMatchObject({ from: 'hello@zelto.test', to: ['bo@acme.test'], user: 'zelto' });
    expect(mail?.raw).toContain('Subject: Join Acme on Zelto');
    expect(mail?.raw).toMatch(/\/invitations\/[\w-]+/);
  });

  it('reports an unreachable SMTP server as emailSent: false, not a crash', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const env = { ZELTO_DB: `${tmp.dir}/zelto.db`, SMTP_URL: 'smtp://zelto:secret@127.0.0.1:1' };
    const { ownerKey } = await createAcme(env);
    const served = await serveZelto(env);
    cleanups.push(() => served.stop());
    const invite = await fetch(`${served.url}/v1/invitations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ownerKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'bo@acme.test' }),
    });
    expect(invite.status).toBe(201);
    expect(await invite.json()).toMatchObject({ results: [{ outcome: 'invited', emailSent: false }] });
  });

  it('keeps emails in the dev outbox when SMTP is not configured, shown by zelto outbox and the log', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const env = { ZELTO_DB: `${tmp.dir}/zelto.db` };
    const served = await serveZelto(env);
    cleanups.push(() => served.stop());
    const signup = await fetch(`${served.url}/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'cy@acme.test', password: 'a long password', name: 'Cy' }),
    });
    expect(signup.status).toBe(202);
    const shown = await zelto(['outbox', '--json'], env);
    const [entry] = JSON.parse(shown.stdout) as Array<{ to: string; kind: string; text: string }>;
    expect(entry).toMatchObject({ to: 'cy@acme.test', kind: 'verification' });
    const code = /code is (\d{6})/.exec(entry?.text ?? '')?.[1];
    expect(served.output()).toContain(`code is ${code}`);
    const verified = await fetch(`${served.url}/v1/auth/verify-email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'cy@acme.test', code }),
    });
    expect(verified.status).toBe(200);
  });
});
