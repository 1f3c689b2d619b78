/** In-app notifications: "a mailbox needs attention" (and "works again"), raised once per change. */
export { type AttentionEvidence, announceAttention } from './attention.ts';
export { NotificationError, type NotificationErrorCode } from './errors.ts';
export { presentNotification, type NotificationView } from './presenter.ts';
export { listNotifications, markAllRead, markRead, unreadCount } from './repository.ts';
export type { NotificationKind, NotificationRow, NotificationsTables } from './tables.ts';
