export {
  createEventBus,
  EventBus,
  type AnyEvent,
  type EventMap,
  type EventName,
  type MailboxStatusEvent,
  type MessageEvent,
} from './bus.ts';
