import type { Kysely } from 'kysely';
import type { User } from '../auth/tables.ts';
import type { Database } from '../db/schema.ts';
import { blockedFor, notBlockedSql, readableMailboxes } from '../store/visibility.ts';
import { dealsByStage, type StageTotals } from './deals-by-stage.ts';
import { type CustomerMail, mailPerCustomer } from './mail-per-customer.ts';
import { type UnansweredMail, unansweredMail } from './unanswered.ts';

/** `me`: the caller's own mailboxes and deals; `team`: every mailbox the caller may read and every deal. */
export type DashboardScope = 'me' | 'team';

export const MAIL_WINDOW_DAYS = 30;

export interface Dashboard {
  scope: DashboardScope;
  hours: number;
  generatedAt: string;
  mailWindowDays: number;
  mailByCompany: CustomerMail[];
  mailByContact: CustomerMail[];
  unanswered: UnansweredMail;
  dealsByStage: StageTotals[];
}

export async function buildDashboard(
  db: Kysely<Database>,
  user: User,
  scope: DashboardScope,
  hours: number,
  now = new Date(),
): Promise<Dashboard> {
  const readable = await readableMailboxes(db, user.id);
  if (scope === 'me') {
    const owned = await db.selectFrom('mailboxes').select('id').where('owner_user_id', '=', user.id).execute();
    const mine = new Set(owned.map((m) => m.id));
    for (const id of [...readable.keys()]) if (!mine.has(id)) readable.delete(id);
  }
  const ids = [...readable.keys()];
  // The reader's blocklist (workspace and own) hides mail here as in every other list.
  const blocked = await blockedFor(db, user.id);
  const notBlocked = notBlockedSql(blocked);
  const since = new Date(now.getTime() - MAIL_WINDOW_DAYS * 86_400_000);
  const [mailByCompany, mailByContact, unanswered, stages] = await Promise.all([
    mailPerCustomer(db, ids, since, 'company', blocked, now),
    mailPerCustomer(db, ids, since, 'contact', blocked, now),
    unansweredMail(db, readable, new Date(now.getTime() - hours * 3_600_000), now, notBlocked),
    dealsByStage(db, scope === 'me' ? user.id : null),
  ]);
  return {
    scope,
    hours,
    generatedAt: now.toISOString(),
    mailWindowDays: MAIL_WINDOW_DAYS,
    mailByCompany,
    mailByContact,
    unanswered,
    dealsByStage: stages,
  };
}
