/** A real DNS server on loopback (dns2, UDP) serving TXT records, NXDOMAIN, or silence (a timeout). */
import dns2 from 'dns2';

const { Packet } = dns2;

export interface TestDnsServer {
  /** `127.0.0.1:<port>`, for ZELTO_DNS_SERVERS. */
  address: string;
  set(name: string, values: string[]): void;
  /** Never answer this name: the resolver times out. */
  silence(name: string): void;
  close(): Promise<void>;
}

export async function startDnsServer(): Promise<TestDnsServer> {
  const records = new Map<string, string[] | 'silence'>();
  const server = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      const response = Packet.createResponseFromRequest(request);
      const [question] = request.questions;
      const name = question?.name.toLowerCase() ?? '';
      const entry = records.get(name);
      if (entry === 'silence') return;
      if (entry === undefined) {
        response.header.rcode = 3; // NXDOMAIN
      } else if (question?.type === Packet.TYPE.TXT) {
        for (const value of entry) {
          // dns2 encodes plain objects; its types ask for a decoded Resource.
          const answer = { name, type: Packet.TYPE.TXT, class: Packet.CLASS.IN, ttl: 1, data: value };
          response.answers.push(answer as unknown as (typeof response.answers)[number]);
        }
      }
      send(response);
    },
  });
  await server.listen({ udp: { port: 0, address: '127.0.0.1' } });
  const addresses = server.addresses() as { udp?: { port: number } };
  const port = addresses.udp?.port;
  if (!port) throw new Error('the DNS test server did not start');
  return {
    address: `127.0.0.1:${port}`,
    set: (name, values) => records.set(name.toLowerCase(), values),
    silence: (name) => records.set(name.toLowerCase(), 'silence'),
    close: () => server.close(),
  };
}
