import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import { type ChangeListener, type ChangeNotification, ConnectorError, type Watcher, type WatchFailureListener } from '../types.ts';
import { toConnectorError } from './imap-errors.ts';

const LOGOUT_TIMEOUT_MS = 3_000;

/** Logs out politely, but never waits long nor throws: the socket is closed either way. */
export async function closeQuietly(client: ImapFlow): Promise<void> {
  if (client.isClosed) return;
  if (!client.usable) {
    client.close();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.logout(),
      new Promise((resolve) => {
        timer = setTimeout(resolve, LOGOUT_TIMEOUT_MS);
      }),
    ]);
  } catch {
    // The socket is closed below whatever LOGOUT said.
  } finally {
    clearTimeout(timer);
    if (!client.isClosed) client.close();
  }
}

/** A watch and its connection, which also takes short commands that keep its folder selected (STATUS). */
export interface WatchSession extends Watcher {
  readonly client: ImapFlow;
}

/**
 * Watches one folder on its own connection: SELECT (read-only) then IDLE, which imapflow re-issues every
 * `maxIdleTime` and right after any break. Changes are reported as they arrive, unbatched; the caller
 * decides when to sync. When the connection ends without close(), onError gets connection_lost (or the
 * mapped cause), once.
 */
export async function watchFolder(
  options: ImapFlowOptions,
  folderId: string,
  onChange: ChangeListener,
  onError: WatchFailureListener,
): Promise<WatchSession> {
  const client = new ImapFlow(options);
  let lastError: unknown;
  let closing = false;
  let reported = false;
  client.on('error', (err: unknown) => {
    lastError = err;
  });
  const notify = (kind: ChangeNotification['kind']): void => {
    if (closing) return;
    try {
      onChange({ folderId, kind });
    } catch {
      // A throwing callback must not take the IDLE connection down with it.
    }
  };
  try {
    await client.connect();
    await client.mailboxOpen(folderId, { readOnly: true });
  } catch (err) {
    client.close();
    throw toConnectorError(lastError ?? err, 'watch', client.authenticated ? 'command' : 'connect');
  }
  client.on('exists', (e) => notify(e.count >= e.prevCount ? 'exists' : 'expunge'));
  client.on('expunge', () => notify('expunge'));
  client.on('flags', () => notify('flags'));
  client.on('highestModseq', () => notify('unknown'));
  // A new UIDVALIDITY seen on re-SELECT: everything the engine knows of this folder is stale.
  client.on('mailboxOpen', () => notify('unknown'));
  client.on('close', () => {
    if (closing || reported) return;
    reported = true;
    // Whatever ended it (BYE on shutdown, a reset, a timeout), the watch is over: connection_lost, with
    // the underlying error kept as the cause.
    const cause = lastError ? toConnectorError(lastError, 'IDLE') : null;
    const why = client.byeReason ?? cause?.message ?? 'closed by the server';
    const error = new ConnectorError('connection_lost', `IMAP IDLE connection ended: ${why}`, {}, { cause: cause ?? undefined });
    try {
      onError(error);
    } catch {
      // Nothing more to do with a throwing error callback.
    }
  });
  // No explicit idle(): imapflow starts IDLE `autoIdleDelay` (20 ms) after SELECT and after each break.
  return {
    client,
    async close() {
      closing = true;
      await closeQuietly(client);
    },
  };
}
