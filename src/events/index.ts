export {
  createEventBus,
  EventBus,
  type AnyEvent,
  type EventMap,
  type EventName,
  type MailboxStatusEvent,
  type MessageEvent,
  type SessionEndedEvent,
  type UserSignedOutEvent,
} from './bus.ts';
export {
  DEFAULT_STREAM_LIMITS,
  type EventStreamErrorCode,
  type OpenStream,
  ServerStoppingError,
  type StreamEndReason,
  StreamRegistry,
  type StreamRegistryOptions,
  TooManyStreamsError,
} from './streams.ts';
export type { EventOrigin, EventPublisher } from './bus.ts';
export { EVENTS_CHANNEL, type EventRelay, MAX_EVENT_BYTES, startPgEventRelay } from './pg-relay.ts';
