import { DnsLookupError } from '@zelto/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeDnsResolver } from '../src/dns/node-resolver.js';
import { startDnsServer, type TestDnsServer } from './dns-server.js';

describe("node's resolver against a DNS server on loopback", () => {
  let server: TestDnsServer;
  beforeAll(async () => {
    server = await startDnsServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('reads TXT records, no record as none, and a silent server as a timeout', async () => {
    const resolver = nodeDnsResolver([server.address], { timeoutMs: 300, tries: 1 });
    server.set('_zelto-verification.acme.test', ['zelto-verification=abc', 'v=spf1 -all']);
    expect(await resolver.resolveTxt('_zelto-verification.acme.test')).toEqual(['zelto-verification=abc', 'v=spf1 -all']);
    expect(await resolver.resolveTxt('_zelto-verification.nothing.test')).toEqual([]);
    server.silence('_zelto-verification.slow.test');
    const error = await resolver.resolveTxt('_zelto-verification.slow.test').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DnsLookupError);
    expect((error as DnsLookupError).reason).toBe('timeout');
  });
});
