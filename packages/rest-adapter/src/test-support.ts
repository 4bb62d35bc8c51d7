/** An in-process REST client over a test core: real HTTP semantics through app.request(). */
import { TestCore } from '@zelto/core/testing';
import { createRestApp, type RestOptions } from './app.js';
import { createPagesApp } from './pages/app.js';

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

/** A response of the pages app, read whole. */
export interface PageReply {
  status: number;
  headers: Headers;
  text: string;
  /** The CSRF token of the page's forms, if it has any. */
  csrf: string | undefined;
}

interface JarCookie {
  value: string;
  path: string;
}

/**
 * A browser without a browser: keeps cookies the way one would (by name and path, dropping
 * expired ones) and posts forms with the token of the last page, over app.request().
 */
export class PageClient {
  readonly cookies = new Map<string, JarCookie>();
  lastCsrf: string | undefined;

  constructor(private readonly app: { request(path: string, init?: RequestInit): Response | Promise<Response> }) {}

  private cookieHeader(path: string): string | undefined {
    const pairs = [...this.cookies.entries()]
      .filter(([, cookie]) => path === cookie.path || path.startsWith(cookie.path.endsWith('/') ? cookie.path : `${cookie.path}/`))
      .map(([name, cookie]) => `${name}=${cookie.value}`);
    return pairs.length > 0 ? pairs.join('; ') : undefined;
  }

  private remember(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const at = pair.indexOf('=');
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      const attr = (key: string) => attributes.find((a) => a.toLowerCase().startsWith(`${key.toLowerCase()}=`))?.split('=')[1];
      if (attr('Max-Age') === '0' || value === '') this.cookies.delete(name);
      else this.cookies.set(name, { value, path: attr('Path') ?? '/' });
    }
  }

  /** The value of a cookie the client holds, by name. */
  cookie(name: string): string | undefined {
    return this.cookies.get(name)?.value;
  }

  async request(method: string, path: string, init: { form?: Record<string, string>; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...init.headers };
    const cookie = this.cookieHeader(new URL(path, 'http://localhost').pathname);
    if (cookie) headers.cookie = cookie;
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const response = await this.app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) });
    this.remember(response.headers);
    const text = await response.text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(text)?.[1];
    if (csrf) this.lastCsrf = csrf;
    return { status: response.status, headers: response.headers, text, csrf } satisfies PageReply;
  }

  get(path: string, headers: Record<string, string> = {}): Promise<PageReply> {
    return this.request('GET', path, { headers });
  }

  /** Posts a form with the last page's CSRF token (pass `_csrf` to override it, or `''` to send none). */
  post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<PageReply> {
    const form: Record<string, string> = { ...(this.lastCsrf ? { _csrf: this.lastCsrf } : {}), ...fields };
    if (form._csrf === '') delete form._csrf;
    return this.request('POST', path, { form, headers });
  }
}

/** The pages app over a test core whose organization has an owner, with a fresh page client per person. */
export async function pagesHarness(options: { publicUrl?: string; orgName?: string } = {}) {
  const publicUrl = options.publicUrl ?? 'http://zelto.test';
  const t = await TestCore.create({ config: { publicUrl } });
  const app = createPagesApp({ core: t.core, publicUrl });
  const { org, owner, ownerP } = await t.organization(options.orgName ?? 'Acme', 'owner@acme.test');
  return {
    t,
    app,
    org,
    owner,
    ownerP,
    client: () => new PageClient(app),
    /** The members of the organization as the owner sees them. */
    async members() {
      return (await t.core.members.list(ownerP, { limit: 100 })).data;
    },
  };
}
