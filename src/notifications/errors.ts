import { DomainError } from '../kernel/index.ts';

export type NotificationErrorCode = 'notification_not_found';

export class NotificationError extends DomainError<NotificationErrorCode> {}
