import type { AddressInfo } from 'node:net';
import hoodiecrow from 'hoodiecrow-imap';
import { createSelfSigned } from './certs.ts';

/**
 * A local IMAP server that speaks Gmail's extension (X-GM-EXT-1) as Google documents it: X-GM-MSGID
 * (one id for a message in every folder it shows in), X-GM-THRID (Gmail's conversation) and
 * X-GM-LABELS, with Gmail's folder layout ([Gmail]/All Mail \All, [Gmail]/Sent Mail \Sent). Built on
 * hoodiecrow-imap, an in-memory IMAP server for client tests; its X-GM-EXT-1 plugin lacks the
 * capability line and X-GM-THRID, which are added here. Over TLS with a self-signed certificate, as
 * the sync engine pins one.
 *
 * Labels as Gmail keeps them: one set per message (per X-GM-MSGID), whichever folder lists it, with the
 * system labels of its folders (\Inbox, \Sent); a FETCH leaves out the selected folder's own label, as
 * Gmail does. CONDSTORE as Gmail offers it: a label change moves the message's MODSEQ in every folder.
 */
export interface GmailMessage {
  raw: string;
  /** X-GM-MSGID: the same in every folder the message is in. */
  msgId: string;
  /** X-GM-THRID. */
  threadId: string;
  flags?: string[];
  /** X-GM-LABELS beyond the folders' own (\Inbox, \Sent come from the folders): user labels, \Important. */
  labels?: string[];
}

export interface FakeGmail {
  port: number;
  certPem: string;
  /** A new message in the Inbox (and All Mail, as Gmail files every message), announced to IDLE. */
  deliver(message: GmailMessage): void;
  /** The flags the server holds for a message of a folder, by X-GM-MSGID. */
  flagsOf(path: string, msgId: string): string[] | null;
  /** Relabels a message, as in Gmail's web UI: its labels beyond the folders' own become `labels`. */
  setLabels(msgId: string, labels: string[]): void;
  close(): Promise<void>;
}

export const GMAIL_ALL_MAIL = '[Gmail]/All Mail';
export const GMAIL_SENT = '[Gmail]/Sent Mail';
const GMAIL_TRASH = '[Gmail]/Trash';

interface EnableConnection {
  state: string;
  enabled?: string[];
  send(response: unknown, description: string, parsed: unknown, data: unknown): void;
}

interface HoodieMailbox {
  path: string;
  'special-use'?: string | string[];
  HIGHESTMODSEQ?: number;
  messages: StoredMessage[];
}

/** The label a folder stands for in Gmail (none for All Mail). */
function ownLabel(mailbox: HoodieMailbox | undefined): string | null {
  if (!mailbox) return null;
  if (mailbox.path.toUpperCase() === 'INBOX') return '\\Inbox';
  const use = [mailbox['special-use'] ?? []].flat()[0];
  if (use === '\\All') return null;
  return use ?? mailbox.path;
}

interface StoredMessage {
  raw: string;
  MODSEQ?: number;
  flags: string[];
  'X-GM-MSGID': string;
  'X-GM-THRID': string;
  'X-GM-LABELS': string[];
}

const stored = (m: GmailMessage): StoredMessage => ({
  raw: m.raw,
  flags: [...(m.flags ?? [])],
  'X-GM-MSGID': m.msgId,
  'X-GM-THRID': m.threadId,
  'X-GM-LABELS': [...(m.labels ?? [])],
});

/** `archived`: in All Mail only (archived out of the Inbox); All Mail also holds every Inbox and Sent message. */
export async function startFakeGmail(opts: {
  user: string;
  password: string;
  inbox: GmailMessage[];
  sent: GmailMessage[];
  archived?: GmailMessage[];
}): Promise<FakeGmail> {
  const cert = await createSelfSigned({ commonName: 'imap.gmail.test', altNames: ['DNS:localhost', 'IP:127.0.0.1'] });
  const byId = new Map<string, GmailMessage>();
  for (const m of [...opts.inbox, ...opts.sent, ...(opts.archived ?? [])]) byId.set(m.msgId, m);
  // The message's labels, one set per X-GM-MSGID, as Gmail keeps them.
  const labels = new Map<string, Set<string>>();
  const folderLabels = (m: GmailMessage) => [...(opts.inbox.includes(m) ? ['\\Inbox'] : []), ...(opts.sent.includes(m) ? ['\\Sent'] : [])];
  for (const m of byId.values()) labels.set(m.msgId, new Set([...folderLabels(m), ...(m.labels ?? [])]));
  const server = hoodiecrow({
    // ENABLE before CONDSTORE, which registers itself with it.
    plugins: ['ID', 'IDLE', 'X-GM-EXT-1', 'SPECIAL-USE', 'UIDPLUS', 'MOVE', 'ENABLE', 'CONDSTORE'],
    secureConnection: true,
    credentials: { key: cert.keyPem, cert: cert.certPem },
    users: { [opts.user]: { password: opts.password } },
    storage: {
      INBOX: { messages: opts.inbox.map(stored) },
      '': {
        separator: '/',
        folders: {
          '[Gmail]': {
            flags: ['\\Noselect'],
            folders: {
              'All Mail': { 'special-use': '\\All', messages: [...byId.values()].map(stored) },
              'Sent Mail': { 'special-use': '\\Sent', messages: opts.sent.map(stored) },
              Trash: { 'special-use': '\\Trash', messages: [] },
            },
          },
        },
      },
    },
  });
  const sockets = new Set<{ destroy(): void }>();
  server.connectionHandlers.push((connection: { socket: { destroy(): void } }) => sockets.add(connection.socket));
  // The plugin answers X-GM-MSGID and X-GM-LABELS but never announces itself, and has no X-GM-THRID.
  server.registerCapability('X-GM-EXT-1');
  server.fetchHandlers['X-GM-THRID'] = (_connection: unknown, message: StoredMessage) => ({ type: 'ATOM', value: message['X-GM-THRID'] });
  // hoodiecrow's ENABLE answers OK without the untagged ENABLED line (RFC 5161), so a client never learns
  // that CONDSTORE is on; Gmail sends it.
  const enable = server.getCommandHandler('ENABLE');
  server.setCommandHandler(
    'ENABLE',
    (connection: EnableConnection, parsed: { attributes?: Array<{ value?: unknown }> }, data: unknown, done: () => void) => {
      const wanted = (parsed.attributes ?? [])
        .map((a) => String(a?.value ?? '').toUpperCase())
        .filter((c) => server.enableAvailable.includes(c) && !connection.enabled?.includes(c));
      if (connection.state === 'Authenticated' && wanted.length)
        connection.send(
          { tag: '*', command: 'ENABLED', attributes: wanted.map((value) => ({ type: 'ATOM', value })) },
          'ENABLED',
          parsed,
          data,
        );
      enable(connection, parsed, data, done);
    },
  );
  // The plugin keeps labels per folder copy and names the folder's own; Gmail keeps them per message and
  // leaves the selected folder's own label out of the answer.
  server.fetchHandlers['X-GM-LABELS'] = (connection: { selectedMailbox?: HoodieMailbox }, message: StoredMessage) => {
    const own = ownLabel(connection.selectedMailbox);
    return [...(labels.get(message['X-GM-MSGID']) ?? [])]
      .filter((l) => l !== own)
      .map((value) => ({ type: value.startsWith('\\') ? 'ATOM' : 'STRING', value }));
  };
  // Messages went missing when hoodiecrow answered a partial whole-message fetch (BODY.PEEK[]<0.N>, which
  // the connector sends to cap a message's size; Dovecot answers it correctly). Every fixture here is far
  // below any cap, so this server answers the whole message instead.
  const body = server.fetchHandlers.BODY;
  server.fetchHandlers.BODY = (connection: unknown, message: StoredMessage, query: { section?: unknown[]; partial?: unknown }) => {
    if (query.partial && Array.isArray(query.section) && query.section.length === 0) delete query.partial;
    return body(connection, message, query);
  };
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  const messagesOf = (path: string): StoredMessage[] => server.getMailbox(path)?.messages ?? [];
  const allPaths = ['INBOX', GMAIL_ALL_MAIL, GMAIL_SENT, GMAIL_TRASH];

  return {
    port,
    certPem: cert.certPem,
    deliver(message) {
      for (const path of ['INBOX', GMAIL_ALL_MAIL]) {
        const { message: added } = server.appendMessage(path, [...(message.flags ?? [])], new Date(), message.raw);
        // Synchronously after the append: no client reads it before its ids are Gmail's.
        Object.assign(added, { 'X-GM-MSGID': message.msgId, 'X-GM-THRID': message.threadId });
      }
      labels.set(message.msgId, new Set(['\\Inbox', ...(message.labels ?? [])]));
    },
    setLabels(msgId, next) {
      const system = [...(labels.get(msgId) ?? [])].filter((l) => l === '\\Inbox' || l === '\\Sent');
      labels.set(msgId, new Set([...system, ...next]));
      // Gmail moves the message's MODSEQ in every folder that lists it (CONDSTORE sees label changes).
      for (const path of allPaths) {
        const mailbox = server.getMailbox(path) as HoodieMailbox | undefined;
        for (const m of mailbox?.messages ?? []) {
          if (m['X-GM-MSGID'] !== msgId) continue;
          mailbox!.HIGHESTMODSEQ = (mailbox!.HIGHESTMODSEQ ?? 0) + 1;
          m.MODSEQ = mailbox!.HIGHESTMODSEQ;
        }
      }
    },
    flagsOf(path, msgId) {
      const found = messagesOf(path).find((m) => m['X-GM-MSGID'] === msgId);
      return found ? [...found.flags] : null;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.server.close(() => resolve());
        // Open client connections would keep close() waiting.
        for (const socket of sockets) socket.destroy();
      }),
  };
}
