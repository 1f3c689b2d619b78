import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../kernel/index.ts';
import type { AnyEvent, EventBus } from './bus.ts';

/** The PostgreSQL channel every Tidings process on one database listens on. */
export const EVENTS_CHANNEL = 'tidings_events';

/** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more; the envelope needs a little room. */
export const MAX_EVENT_BYTES = 7_900;

export interface EventRelay {
  /** Whether the listening connection is up now. */
  connected(): boolean;
  stop(): Promise<void>;
}

export interface EventRelayOptions {
  bus: EventBus;
  databaseUrl: string;
  log: Logger;
  /** First wait before connecting again after a drop; doubles up to 30 s. */
  reconnectMs?: number;
}

interface Envelope {
  /** The sending process, so it skips its own events (PostgreSQL delivers them to it too). */
  o: string;
  t: AnyEvent['type'];
  d: AnyEvent['data'];
}

/**
 * Carries the bus across processes with PostgreSQL LISTEN/NOTIFY on one dedicated connection (a pooled
 * one would lose its LISTEN when returned). Events are sent on the same connection, so other processes
 * receive one process's events in the order it raised them. While the connection is down, events raised
 * here are not sent and events raised elsewhere are not heard; when it is back the bus reports a gap
 * (`EventBus.onGap`), and the event streams end so browsers reconnect and re-read.
 */
export async function startPgEventRelay(opts: EventRelayOptions): Promise<EventRelay> {
  const origin = randomBytes(8).toString('hex');
  const firstWait = opts.reconnectMs ?? 1_000;
  let wait = firstWait;
  let client: pg.Client | null = null;
  let stopped = false;
  let lostSince: number | null = null;
  let retry: NodeJS.Timeout | null = null;
  const tooLarge = new Set<string>();
  // One query at a time on the connection, in the order events were raised (pg will stop queueing them itself).
  let sending: Promise<void> = Promise.resolve();

  const publish = (event: AnyEvent) => {
    const payload = JSON.stringify({ o: origin, t: event.type, d: event.data } satisfies Envelope);
    if (Buffer.byteLength(payload) > MAX_EVENT_BYTES) {
      if (!tooLarge.has(event.type)) opts.log.warn({ type: event.type }, 'event too large for other processes; delivered here only');
      tooLarge.add(event.type);
      return;
    }
    // Down: the gap is reported to every process when the connection is back.
    const c = client;
    if (!c) return;
    sending = sending
      .then(() => c.query('select pg_notify($1, $2)', [EVENTS_CHANNEL, payload]))
      .then(
        () => undefined,
        () => undefined,
      );
  };

  const receive = (msg: pg.Notification) => {
    if (msg.channel !== EVENTS_CHANNEL || !msg.payload) return;
    let envelope: Envelope;
    try {
      envelope = JSON.parse(msg.payload) as Envelope;
    } catch {
      return; // not ours
    }
    if (envelope.o === origin || typeof envelope.t !== 'string') return;
    opts.bus.receive({ type: envelope.t, data: envelope.d } as AnyEvent);
  };

  const dropped = (c: pg.Client, err?: Error) => {
    if (client !== c) return;
    client = null;
    c.removeAllListeners('notification');
    c.end().catch(() => undefined);
    if (stopped) return;
    lostSince ??= Date.now();
    opts.log.warn({ err }, 'event relay: lost its PostgreSQL connection; connecting again');
    schedule();
  };

  const schedule = () => {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = null;
      void connect();
    }, wait);
    retry.unref();
    wait = Math.min(wait * 2, 30_000);
  };

  async function connect(): Promise<void> {
    const c = new pg.Client({ connectionString: opts.databaseUrl, connectionTimeoutMillis: 5_000, keepAlive: true });
    c.on('error', (err) => dropped(c, err));
    c.on('end', () => dropped(c));
    c.on('notification', receive);
    try {
      await c.connect();
      await c.query(`listen ${EVENTS_CHANNEL}`);
    } catch (err) {
      c.removeAllListeners('end');
      await c.end().catch(() => undefined);
      lostSince ??= Date.now();
      opts.log.warn({ err }, 'event relay: cannot listen on PostgreSQL; trying again');
      schedule();
      return;
    }
    if (stopped) {
      await c.end().catch(() => undefined);
      return;
    }
    client = c;
    wait = firstWait;
    if (lostSince !== null) {
      opts.log.info({ downMs: Date.now() - lostSince }, 'event relay: listening again; events of the meantime were not carried');
      lostSince = null;
      opts.bus.reportGap();
    }
  }

  opts.bus.setPublisher(publish);
  await connect();
  return {
    connected: () => client !== null,
    async stop() {
      stopped = true;
      opts.bus.setPublisher(null);
      if (retry) clearTimeout(retry);
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}
