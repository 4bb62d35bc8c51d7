/** An MCP client talking to the real HTTP handler in-process, over a test core. */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { TestCore } from '@zelto/core/testing';
import { createMcpHttpHandler } from './http.js';

export type Era = 'legacy' | 'modern';

export interface ClientOptions {
  era?: Era;
  /** Answer elicitation requests (declares the capability). */
  elicit?: (message: string) => { action: 'accept' | 'decline' | 'cancel'; content?: Record<string, string | number | boolean | string[]> };
  headers?: Record<string, string>;
}

export async function mcpHarness() {
  const t = await TestCore.create();
  const handler = createMcpHttpHandler({ core: t.core });
  const requests: Request[] = [];
  const fetchIt = async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    // A Request built in-process has no Host header; a real server always gets one.
    if (!request.headers.has('host')) request.headers.set('host', new URL(request.url).host);
    requests.push(request);
    return handler(request);
  };

  async function connect(token: string, options: ClientOptions = {}) {
    const client = new Client(
      { name: 'zelto-test', version: '1.0.0' },
      {
        ...(options.elicit ? { capabilities: { elicitation: { form: {} } } } : {}),
        ...(options.era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' as const } } } : {}),
      },
    );
    const asked: string[] = [];
    if (options.elicit) {
      const answer = options.elicit;
      client.setRequestHandler('elicitation/create', async (request) => {
        const message = (request.params as { message: string }).message;
        asked.push(message);
        return answer(message);
      });
    }
    const transport = new StreamableHTTPClientTransport(new URL('http://127.0.0.1:3000/mcp'), {
      fetch: fetchIt,
      requestInit: { headers: { authorization: `Bearer ${token}`, ...options.headers } },
    });
    await client.connect(transport);
    return { client, asked };
  }

  async function org() {
    const { org, owner, ownerP } = await t.organization('Acme', 'owner@acme.test');
    const ownerKey = (await t.core.apiKeys.create(ownerP, { name: 'owner key', role: 'owner' })).secret;
    return { org, owner, ownerP, ownerKey };
  }

  return { t, handler, connect, org, requests };
}

type CallResult = { isError?: boolean; content: Array<{ type: string; text?: string }>; structuredContent?: Record<string, unknown> };

export function textOf(result: unknown): string {
  return (result as CallResult).content.map((c) => c.text ?? '').join('\n');
}

export function structured<T = Record<string, unknown>>(result: unknown): T {
  const r = result as CallResult;
  if (r.isError) throw new Error(`tool failed: ${textOf(r)}`);
  return r.structuredContent as T;
}
