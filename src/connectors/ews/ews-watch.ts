import {
  type ChangeListener,
  type ChangeNotification,
  ConnectorError,
  type Watcher,
  type WatchFailureListener,
  watchFailure,
} from '../types.ts';
import { type EwsClient, streamingRequest } from './ews-client.ts';
import { all, faultOf, one, parseSoap, text } from './soap.ts';

/** A notification envelope is small; more than this without one ending is not EWS. */
const MAX_PENDING_CHARS = 4 * 1024 * 1024;
const STREAM_MINUTES = 30;

const KIND: Record<string, ChangeNotification['kind']> = {
  NewMailEvent: 'exists',
  CreatedEvent: 'exists',
  CopiedEvent: 'exists',
  MovedEvent: 'exists',
  DeletedEvent: 'expunge',
  ModifiedEvent: 'flags',
};

/** The notifications in one streamed envelope; `closed` when the server ended the connection's time. */
export function readStreamingEnvelope(
  xml: string,
  folderId: string,
): { notifications: ChangeNotification[]; closed: boolean; error?: string } {
  const doc = parseSoap(xml);
  const fault = faultOf(doc);
  if (fault) return { notifications: [], closed: true, error: fault.code };
  const response = one(
    one(one(one(one(doc, 'Envelope'), 'Body'), 'GetStreamingEventsResponse'), 'ResponseMessages'),
    'GetStreamingEventsResponseMessage',
  );
  if (!response) throw new ConnectorError('protocol_error', 'A streamed envelope without GetStreamingEventsResponseMessage.');
  if (response['@_ResponseClass'] === 'Error') return { notifications: [], closed: true, error: text(response, 'ResponseCode') ?? 'Error' };
  const notifications: ChangeNotification[] = [];
  for (const n of all(one(response, 'Notifications'), 'Notification')) {
    for (const [name, kind] of Object.entries(KIND)) {
      for (let i = 0; i < all(n, name).length; i++) notifications.push({ folderId, kind });
    }
  }
  return { notifications, closed: text(response, 'ConnectionStatus') === 'Closed' };
}

/**
 * Streaming notifications for one folder: Subscribe, then GetStreamingEvents answers that stay open for up
 * to 30 minutes, reopened when the server closes one. A broken stream or subscription reports onError.
 */
export async function watchStreaming(
  client: EwsClient,
  folderId: string,
  onChange: ChangeListener,
  onError: WatchFailureListener,
): Promise<Watcher> {
  const subscriptionId = await client.subscribeStreaming(folderId);
  let closed = false;
  let current: { close: () => void } | null = null;
  const fail = (e: unknown) => {
    if (closed) return;
    closed = true;
    onError(watchFailure(e, 'EWS notifications'));
  };

  const open = async (): Promise<void> => {
    let pending = '';
    let serverClosed = false;
    const stream = await client.http.stream(streamingRequest(subscriptionId, STREAM_MINUTES), (chunk) => {
      pending += chunk;
      for (;;) {
        const end = /<\/(?:\w+:)?Envelope\s*>/.exec(pending);
        if (!end) break;
        const envelope = pending.slice(0, end.index + end[0].length);
        pending = pending.slice(end.index + end[0].length);
        const read = readStreamingEnvelope(envelope, folderId);
        if (read.error) throw new ConnectorError('server_error', `GetStreamingEvents: ${read.error}`, { serverResponse: read.error });
        for (const n of read.notifications) onChange(n);
        serverClosed ||= read.closed;
      }
      if (pending.length > MAX_PENDING_CHARS)
        throw new ConnectorError('protocol_error', 'The notification stream sent no complete envelope.');
    });
    if (stream.status !== 200) {
      stream.close();
      throw new ConnectorError('server_error', `GetStreamingEvents answered HTTP ${stream.status}.`);
    }
    current = stream;
    stream.done
      .then(() => {
        if (closed) return;
        if (!serverClosed) throw new ConnectorError('connection_lost', 'The notification stream ended.');
        // The connection's time is up: open the next one on the same subscription.
        return open();
      })
      .catch(fail);
  };
  await open();
  return {
    async close() {
      closed = true;
      current?.close();
      await client.unsubscribe(subscriptionId).catch(() => undefined);
    },
  };
}
