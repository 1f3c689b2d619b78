import dgram from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import dnsPacket from 'dns-packet';

/** Records served for one name; a name not listed answers NXDOMAIN, a name in `silent` never answers. */
export interface Zone {
  a?: string[];
  mx?: { exchange: string; priority: number }[];
  /** target '.' means "service not offered" (RFC 6186). */
  srv?: { target: string; port: number; priority?: number; weight?: number }[];
}

export interface LocalDnsServer {
  port: number;
  /** A resolver that asks only this server. */
  resolver(opts?: { timeoutMs?: number }): Resolver;
  /** net/tls `lookup` that resolves A records through this server, for probes and HTTPS in tests. */
  lookup(): LookupFunction;
  close(): Promise<void>;
}

const NXDOMAIN = 3;

/** A tiny UDP DNS responder on 127.0.0.1 for A, MX and SRV; enough for discovery tests. */
export async function startLocalDns(zones: Record<string, Zone>, silent: string[] = []): Promise<LocalDnsServer> {
  const socket = dgram.createSocket('udp4');
  socket.on('error', () => socket.close());
  socket.on('message', (message, remote) => {
    let query: dnsPacket.Packet;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return;
    }
    const question = query.questions?.[0];
    if (!question) return;
    const name = question.name.toLowerCase();
    if (silent.includes(name)) return;
    const zone = zones[name];
    const answers: dnsPacket.Answer[] = [];
    if (zone && question.type === 'A') for (const a of zone.a ?? []) answers.push({ type: 'A', name, ttl: 5, data: a });
    if (zone && question.type === 'MX') {
      for (const m of zone.mx ?? []) answers.push({ type: 'MX', name, ttl: 5, data: { preference: m.priority, exchange: m.exchange } });
    }
    if (zone && question.type === 'SRV') {
      for (const s of zone.srv ?? []) {
        answers.push({
          type: 'SRV',
          name,
          ttl: 5,
          data: { target: s.target, port: s.port, priority: s.priority ?? 0, weight: s.weight ?? 1 },
        });
      }
    }
    const response = dnsPacket.encode({
      type: 'response',
      id: query.id,
      flags: dnsPacket.AUTHORITATIVE_ANSWER | dnsPacket.RECURSION_DESIRED | (zone ? 0 : NXDOMAIN),
      questions: [question],
      answers,
    });
    socket.send(response, remote.port, remote.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve());
  });
  const { port } = socket.address();

  const resolver = (opts: { timeoutMs?: number } = {}) => {
    // Generous: the machine is shared and busy; silent names are cut short by discovery's own deadline.
    const r = new Resolver({ timeout: opts.timeoutMs ?? 1000, tries: 2 });
    r.setServers([`127.0.0.1:${port}`]);
    return r;
  };

  const lookup = (): LookupFunction => {
    const r = resolver();
    return (hostname, options, callback) => {
      r.resolve4(hostname).then(
        (addresses) => {
          if (options.all)
            callback(
              null,
              addresses.map((address) => ({ address, family: 4 })),
            );
          else callback(null, addresses[0], 4);
        },
        (error: NodeJS.ErrnoException) => callback(error, '', 4),
      );
    };
  };

  return {
    port,
    resolver,
    lookup,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
