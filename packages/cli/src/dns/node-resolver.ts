import { Resolver } from 'node:dns/promises';
import { DnsLookupError, type DnsResolver } from '@zelto/core';

/**
 * The DNS port over node's resolver: the system's servers, or ZELTO_DNS_SERVERS
 * (`host:port`, comma-separated). No record (NXDOMAIN, NODATA) is an empty answer; a timeout
 * or a server failure is a DnsLookupError.
 */
export function nodeDnsResolver(servers: string[], options: { timeoutMs?: number; tries?: number } = {}): DnsResolver {
  const resolver = new Resolver({ timeout: options.timeoutMs ?? 2500, tries: options.tries ?? 2 });
  if (servers.length > 0) resolver.setServers(servers);
  return {
    async resolveTxt(name: string): Promise<string[]> {
      try {
        return (await resolver.resolveTxt(name)).map((chunks) => chunks.join(''));
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === 'ENOTFOUND' || code === 'ENODATA') return [];
        throw new DnsLookupError(`${(error as Error).message}`, code === 'ETIMEOUT' ? 'timeout' : 'failure');
      }
    },
  };
}
