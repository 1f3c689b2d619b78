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
 * Where an event was raised: in this process (`local`) or in another Tidings process on the same
 * PostgreSQL database (`remote`, carried by the relay in pg-relay.ts).
 */
export type EventOrigin = 'local' | 'remote';

/** Carries this process's events to the others; set by the relay, absent on the embedded database. */
export type EventPublisher = (event: AnyEvent) => void;

type Listener = (event: AnyEvent, origin: EventOrigin) => void;

/**
 * Typed, and shared by every Tidings process on one PostgreSQL database once a relay is attached.
 * Two kinds of subscriber, chosen on purpose:
 * - `subscribe` / `on`: every event, from any process. For what only shows or wakes (a browser's event
 *   stream, ending a signed-out session's streams, waking a worker that then claims its work).
 * - `subscribeLocal` / `onLocal`: only events raised in this process. For work done once per event
 *   (linking, webhook deliveries, bounce links): every process hears every event, so work done on
 *   remote events would be done once per process.
 * Listeners run synchronously in arrival order; one that throws is isolated so a broken subscriber
 * never stops the sync engine that emits.
 */
export class EventBus {
  readonly #emitter = new EventEmitter();
  #publish: EventPublisher | null = null;

  constructor() {
    // Every SSE client subscribes once; hundreds of open tabs are normal.
    this.#emitter.setMaxListeners(0);
  }

  emit<K extends EventName>(type: K, data: EventMap[K]): void {
    const event = { type, data } as AnyEvent;
    this.#deliver(event, 'local');
    this.#publish?.(event);
  }

  /**
   * The relay lost events for a while (its connection dropped and is back): subscribers that keep a
   * picture of the state (browsers' event streams) start over.
   */
  reportGap(): void {
    for (const listener of this.#emitter.listeners('gap') as Array<() => void>) {
      try {
        listener();
      } catch {
        // A subscriber's bug is its own.
      }
    }
  }

  /** Called after events from other processes may have been missed; returns the unsubscribe function. */
  onGap(listener: () => void): () => void {
    this.#emitter.on('gap', listener);
    return () => this.#emitter.off('gap', listener);
  }

  /** An event another process raised (the relay calls this). */
  receive(event: AnyEvent): void {
    this.#deliver(event, 'remote');
  }

  /** The relay that carries local events to other processes; null detaches it. */
  setPublisher(publish: EventPublisher | null): void {
    this.#publish = publish;
  }

  /** Every event, from every process; returns the unsubscribe function. */
  subscribe(listener: (event: AnyEvent, origin: EventOrigin) => void): () => void {
    const l: Listener = listener;
    this.#emitter.on('event', l);
    return () => this.#emitter.off('event', l);
  }

  /** Only events raised in this process: for subscribers that do work per event. */
  subscribeLocal(listener: (event: AnyEvent) => void): () => void {
    return this.subscribe((e, origin) => {
      if (origin === 'local') listener(e);
    });
  }

  /** Events of one type, from every process. */
  on<K extends EventName>(type: K, listener: (data: EventMap[K]) => void): () => void {
    return this.subscribe((e) => {
      if (e.type === type) listener(e.data as EventMap[K]);
    });
  }

  /** Events of one type raised in this process: for subscribers that do work per event. */
  onLocal<K extends EventName>(type: K, listener: (data: EventMap[K]) => void): () => void {
    return this.subscribeLocal((e) => {
      if (e.type === type) listener(e.data as EventMap[K]);
    });
  }

  #deliver(event: AnyEvent, origin: EventOrigin): void {
    for (const listener of this.#emitter.listeners('event') as Listener[]) {
      try {
        listener(event, origin);
      } catch {
        // A subscriber's bug is its own.
      }
    }
  }
}

export function createEventBus(): EventBus {
  return new EventBus();
}
