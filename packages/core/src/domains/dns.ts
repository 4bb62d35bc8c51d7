/** The DNS port: TXT records for domain verification. */
export interface DnsResolver {
  /**
   * The TXT records at `name`, each as its joined strings. Resolves to [] when the name has no
   * TXT records (NXDOMAIN / NODATA); rejects with a DnsLookupError on timeouts and failures.
   */
  resolveTxt(name: string): Promise<string[]>;
}

export class DnsLookupError extends Error {
  override readonly name = 'DnsLookupError';
  constructor(
    message: string,
    readonly reason: 'timeout' | 'failure',
  ) {
    super(message);
  }
}
