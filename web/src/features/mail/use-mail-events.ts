import { useEffect, useRef, useState } from 'react';
import { mailUrls } from './api.ts';
import type { MailEventType } from './types.ts';

export interface MailEvent {
  type: MailEventType;
  mailboxId: string;
  messageId: string;
}

const TYPES: MailEventType[] = ['message.created', 'message.updated', 'message.deleted'];

/**
 * The server's event stream, for as long as the component is mounted. EventSource reconnects by itself;
 * `connected` says whether it is open right now. Events arrive only for mailboxes the user owns.
 * `onReconnect` runs when the stream opens again after it ended (a restart, or a server that missed
 * events between its processes): whatever happened meanwhile was not sent, so the screen re-reads.
 */
export function useMailEvents(onEvent: (event: MailEvent) => void, onReconnect?: () => void): { connected: boolean } {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const reconnected = useRef(onReconnect);
  reconnected.current = onReconnect;
  const [connected, setConnected] = useState(false);

  useEffect(() => {
    const source = new EventSource(mailUrls.events, { withCredentials: true });
    let openedBefore = false;
    source.onopen = () => {
      setConnected(true);
      if (openedBefore) reconnected.current?.();
      openedBefore = true;
    };
    source.onerror = () => setConnected(source.readyState === EventSource.OPEN);
    const listeners = TYPES.map((type) => {
      const listener = (e: MessageEvent<string>) => {
        try {
          const data = JSON.parse(e.data) as { mailboxId?: unknown; messageId?: unknown };
          if (typeof data.mailboxId === 'string' && typeof data.messageId === 'string')
            handler.current({ type, mailboxId: data.mailboxId, messageId: data.messageId });
        } catch {
          // A malformed event is skipped; the next list load corrects anything missed.
        }
      };
      source.addEventListener(type, listener);
      return [type, listener] as const;
    });
    return () => {
      for (const [type, listener] of listeners) source.removeEventListener(type, listener);
      source.close();
    };
  }, []);

  return { connected };
}
