import { useEffect, useRef } from 'react';
import { mailUrls } from '../mail/api.ts';
import type { OutboxState } from './types.ts';

export interface OutboxEvent {
  outboxId: string;
  mailboxId: string;
  state: OutboxState;
}

/** `outbox.updated` events of the server's stream (the user's own rows), for as long as the component is mounted. */
export function useOutboxEvents(onEvent: (event: OutboxEvent) => void): void {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    const source = new EventSource(mailUrls.events, { withCredentials: true });
    const listener = (e: MessageEvent<string>) => {
      try {
        const data = JSON.parse(e.data) as Partial<OutboxEvent>;
        if (typeof data.outboxId === 'string' && typeof data.state === 'string')
          handler.current({ outboxId: data.outboxId, mailboxId: String(data.mailboxId ?? ''), state: data.state });
      } catch {
        // A malformed event is skipped; the next load of the list corrects anything missed.
      }
    };
    source.addEventListener('outbox.updated', listener);
    return () => {
      source.removeEventListener('outbox.updated', listener);
      source.close();
    };
  }, []);
}
