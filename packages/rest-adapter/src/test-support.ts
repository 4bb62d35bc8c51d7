/** An in-process REST client over a test core: real HTTP semantics through app.request(). */
import { TestCore } from '@zelto/core/testing';
import { createRestApp, type RestOptions } from './app.js';

export interface Call {
  token?: string | undefined;
  org?: string;
  body?: unknown;
  raw?: string | Uint8Array;
  headers?: Record<string, string>;
}

export interface Reply<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

export async function restHarness(options: Partial<RestOptions> = {}) {
  const t = await TestCore.create();
  const app = createRestApp({ core: t.core, ...options });
  async function call<T = Record<string, unknown>>(method: string, path: string, init: Call = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...init.headers };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    if (init.org) headers['zelto-organization'] = init.org;
    let body: string | Uint8Array | undefined = init.raw;
    if (init.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(init.body);
    }
    const response = await app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }
  return { t, app, call };
}

/** An organization with its owner signed in over HTTP, and helpers to add people. */
export async function orgHarness(options: Partial<RestOptions> = {}) {
  const h = await restHarness(options);
  const { org, owner } = await h.t.organization('Acme', 'owner@acme.test');
  const ownerKey = await h.t.core.apiKeys.create(await h.t.principal(owner.token, org.id), { name: 'owner key', role: 'owner' });
  async function member(email: string, role: 'member' | 'admin' = 'member') {
    const p = await h.t.member(org.id, await h.t.principal(owner.token, org.id), email, role);
    return p;
  }
  return { ...h, org, owner, ownerKey: ownerKey.secret, member };
}
