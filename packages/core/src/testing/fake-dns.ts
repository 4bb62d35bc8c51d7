import { DnsLookupError, type DnsResolver } from '../domains/dns.js';

/** TXT records held in memory; a name can be made to time out. For unit tests only. */
export class FakeDns implements DnsResolver {
  readonly #records = new Map<string, string[]>();
  readonly #timeouts = new Set<string>();

  set(name: string, values: string[]): void {
    this.#records.set(name.toLowerCase(), values);
  }

  timeout(name: string): void {
    this.#timeouts.add(name.toLowerCase());
  }

  async resolveTxt(name: string): Promise<string[]> {
    if (this.#timeouts.has(name.toLowerCase())) throw new DnsLookupError(`queryTxt ETIMEOUT ${name}`, 'timeout');
    return this.#records.get(name.toLowerCase()) ?? [];
  }
}
