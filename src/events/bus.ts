import { EventEmitter } from 'node:events';

export interface MessageEvent {
  mailboxId: string;
  messageId: string;
}

export interface MailboxStatusEvent {
  mailboxId: string;
  state: string;
  lastError: string | null;
}

/** A session ended (sign-out): the event streams opened with it end too. */
export interface SessionEndedEvent {
  sessionId: string;
}

/** Every session of a user ended (deactivation, password reset). Not `userId`: it is not addressed to them. */
export interface UserSignedOutEvent {
  signedOutUserId: string;
}

/** An outbox row changed state (queued, sending, sent, failed...): for its writer's screens. */
export interface OutboxEvent {
  outboxId: string;
  mailboxId: string;
  /** Who wrote it: the event streams deliver it to that user only. */
  userId: string;
  state: string;
}

/**
 * A mailbox's sync made progress (an import's count moved, a folder changed state, a pass ended): screens
 * re-read its sync status. The emitter throttles it to a few per second per mailbox.
 */
export interface MailboxProgressEvent {
  mailboxId: string;
}

/**
 * A mailbox started needing its owner's attention (wrong password, revoked sign-in, changed certificate,
 * quota; `code` is the failure code) or stopped needing it (`code` null). Raised once per change, not per
 * failed attempt.
 */
export interface MailboxAttentionEvent {
  mailboxId: string;
  ownerUserId: string;
  code: string | null;
}

export interface EventMap {
  'message.created': MessageEvent;
  'message.updated': MessageEvent;
  'message.deleted': MessageEvent;
  'mailbox.status': MailboxStatusEvent;
  'mailbox.progress': MailboxProgressEvent;
  'mailbox.attention': MailboxAttentionEvent;
  'outbox.updated': OutboxEvent;
  'session.ended': SessionEndedEvent;
  'user.signed_out': UserSignedOutEvent;
}

export type EventName = keyof EventMap;
export type AnyEvent = { [K in EventName]: { type: K; data: EventMap[K] } }[EventName];

/**
 * In-process, typed. Listeners run synchronously in emit order; one that throws is isolated so a
 * broken subscriber never stops the sync engine that emits.
 */
export class EventBus {
  readonly #emitter = new EventEmitter();

  constructor() {
    // Every SSE client subscribes once; hundreds of open tabs are normal.
    this.#emitter.setMaxListeners(0);
  }

  emit<K extends EventName>(type: K, data: EventMap[K]): void {
    for (const listener of this.#emitter.listeners('event') as Array<(e: AnyEvent) => void>) {
      try {
        listener({ type, data } as AnyEvent);
      } catch {
        // A subscriber's bug is its own.
      }
    }
  }

  /** Every event; returns the unsubscribe function. */
  subscribe(listener: (event: AnyEvent) => void): () => void {
    this.#emitter.on('event', listener);
    return () => this.#emitter.off('event', listener);
  }

  on<K extends EventName>(type: K, listener: (data: EventMap[K]) => void): () => void {
    return this.subscribe((e) => {
      if (e.type === type) listener(e.data as EventMap[K]);
    });
  }
}

export function createEventBus(): EventBus {
  return new EventBus();
}
