import { explainCode, type LocalText } from '../mailboxes/probe/index.ts';
import type { NotificationListRow } from './repository.ts';

export interface NotificationView {
  id: string;
  kind: 'mailbox_attention' | 'mailbox_recovered';
  mailbox: { id: string; email: string } | null;
  code: string | null;
  /** What happened and what to do, in both languages (the web app shows the reader's). */
  message: LocalText | null;
  fix: LocalText | null;
  read: boolean;
  createdAt: string;
}

export function presentNotification(row: NotificationListRow): NotificationView {
  const explained =
    row.code && row.email
      ? explainCode(
          row.code,
          { ...row.params, host: row.imap_host ?? undefined, port: row.imap_port ?? undefined, protocol: row.protocol ?? undefined },
          row.provider_id ?? undefined,
        )
      : null;
  return {
    id: row.id,
    kind: row.kind,
    mailbox: row.mailbox_id && row.email ? { id: row.mailbox_id, email: row.email } : null,
    code: explained?.code ?? row.code,
    message: explained?.message ?? null,
    fix: explained?.fix ?? null,
    read: row.read_at !== null,
    createdAt: new Date(row.created_at).toISOString(),
  };
}
