import { spawn } from 'node:child_process';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupsAfterEach, createAcme, serveZelto, tempDir, ZELTO_BIN, zelto } from './zelto-process.js';

type Era = 'legacy' | 'modern';

function client(era: Era, elicit = false) {
  const c = new Client(
    { name: 'e2e', version: '1.0.0' },
    {
      ...(elicit ? { capabilities: { elicitation: { form: {} } } } : {}),
      ...(era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' as const } } } : {}),
    },
  );
  if (elicit) c.setRequestHandler('elicitation/create', async () => ({ action: 'accept' as const, content: { confirm: true } }));
  return c;
}

async function setup(cleanups: Array<() => unknown>) {
  const tmp = tempDir();
  cleanups.push(tmp.cleanup);
  const env = { ZELTO_DB: `${tmp.dir}/zelto.db` };
  const { ownerKey } = await createAcme(env);
  return { env, ownerKey };
}

describe('zelto mcp (stdio, spawned)', () => {
  const cleanups = cleanupsAfterEach(afterEach);

  it.each<Era>(['legacy', 'modern'])('serves the tools over stdio (%s protocol), with nothing but protocol on stdout', async (era) => {
    const { env, ownerKey } = await setup(cleanups);
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [ZELTO_BIN, 'mcp'],
      env: { ...env, ZELTO_API_KEY: ownerKey, LOG_LEVEL: 'info', PATH: process.env.PATH ?? '' },
      stderr: 'pipe',
    });
    const c = client(era, true);
    const errors: unknown[] = [];
    c.onerror = (error) => errors.push(error);
    await c.connect(transport);
    cleanups.push(() => c.close());
    const tools = await c.listTools();
    expect(tools.tools.map((t) => t.name)).toContain('transfer_ownership');
    const invited = await c.callTool({ name: 'invite_members', arguments: { email: 'bo@acme.test', role: 'admin' } });
    expect(invited.structuredContent).toMatchObject({ results: [{ outcome: 'invited' }] });
    const key = await c.callTool({ name: 'create_api_key', arguments: { name: 'temp', role: 'member' } });
    const keyId = (key.structuredContent as { id: string }).id;
    // Destructive: the client is asked (2026 input-required, or a 2025 elicitation request over stdio).
    const deleted = await c.callTool({ name: 'delete_api_key', arguments: { id: keyId } });
    expect(deleted.isError).toBeFalsy();
    expect(errors).toEqual([]);
  });

  it('writes nothing but JSON-RPC to stdout, even at debug log level', async () => {
    const { env, ownerKey } = await setup(cleanups);
    const child = spawn(process.execPath, [ZELTO_BIN, 'mcp'], {
      env: { ...process.env, ...env, ZELTO_API_KEY: ownerKey, LOG_LEVEL: 'debug' },
    });
    cleanups.push(() => child.kill());
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const send = (message: object) => child.stdin.write(`${JSON.stringify(message)}\n`);
    send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    });
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'list_members', arguments: {} } });
    send({
      jsonrpc: '2.0',
      id: 3,
      method: 'tools/call',
      params: { name: 'remove_member', arguments: { member: 'ana@acme.test', confirm: true } },
    });
    const deadline = Date.now() + 10_000;
    while (!/"id":3/.test(stdout) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    child.stdin.end();
    const lines = stdout.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' });
    expect(stdout).toContain('is the owner and cannot be removed');
    expect(stderr).toContain('"level":20');
  });

  it('refuses to start without a valid key, and stops serving a key deleted meanwhile', async () => {
    const { env, ownerKey } = await setup(cleanups);
    const noKey = await zelto(['mcp'], env);
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toContain('ZELTO_API_KEY');
    const badKey = await zelto(['mcp'], { ...env, ZELTO_API_KEY: 'zlt_junk' });
    expect(badKey.code).toBe(1);

    const minted = JSON.parse(
      (await zelto(['keys', 'create', '--org', 'acme', '--name', 'bot', '--role', 'admin', '--json'], env)).stdout,
    ) as {
      id: string;
      secret: string;
    };
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [ZELTO_BIN, 'mcp'],
      env: { ...env, ZELTO_API_KEY: minted.secret, PATH: process.env.PATH ?? '' },
      stderr: 'pipe',
    });
    const c = client('legacy');
    await c.connect(transport);
    cleanups.push(() => c.close());
    expect((await c.callTool({ name: 'get_organization', arguments: {} })).isError).toBeFalsy();
    // Deleted through another process (the REST API of a server on the same file).
    const served = await serveZelto(env);
    cleanups.push(() => served.stop());
    const del = await fetch(`${served.url}/v1/api-keys/${minted.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${ownerKey}` },
    });
    expect(del.status).toBe(200);
    const after = await c.callTool({ name: 'get_organization', arguments: {} });
    expect(after.isError).toBe(true);
    expect((after.content as Array<{ text: string }>)[0]?.text).toContain('deleted');
  });
});

describe('/mcp on zelto serve (Streamable HTTP)', () => {
  const cleanups = cleanupsAfterEach(afterEach);

  it.each<Era>(['legacy', 'modern'])('serves the same tools with the same key (%s protocol)', async (era) => {
    const { env, ownerKey } = await setup(cleanups);
    const served = await serveZelto(env);
    cleanups.push(() => served.stop());
    const c = client(era, era === 'modern');
    await c.connect(
      new StreamableHTTPClientTransport(new URL(`${served.url}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${ownerKey}` } },
      }),
    );
    cleanups.push(() => c.close());
    expect((await c.listTools()).tools.length).toBeGreaterThan(15);
    const members = await c.callTool({ name: 'list_members', arguments: {} });
    expect(members.structuredContent).toMatchObject({ data: [{ email: 'ana@acme.test', role: 'owner' }] });
    const rotated = await c.callTool({ name: 'regenerate_invite_link', arguments: era === 'legacy' ? { confirm: true } : {} });
    expect(rotated.isError).toBeFalsy();
    // REST sees what MCP did.
    const link = await fetch(`${served.url}/v1/invite-link`, { headers: { authorization: `Bearer ${ownerKey}` } });
    expect(await link.json()).toMatchObject({ url: (rotated.structuredContent as { url: string }).url });
    expect((await fetch(`${served.url}/mcp`, { headers: { authorization: `Bearer ${ownerKey}` } })).status).toBe(405);
    expect((await fetch(`${served.url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(
      401,
    );
  });
});
