import type { AuthTables } from '../auth/tables.ts';
import type { AuditTables } from '../audit/tables.ts';
import type { VaultTables } from '../vault/tables.ts';
import type { MailboxesTables } from '../mailboxes/tables.ts';
import type { StoreTables } from '../store/tables.ts';
import type { CrmTables } from '../crm/tables.ts';
import type { LinkingTables } from '../linking/tables.ts';
import type { BlocklistTables } from '../blocklist/tables.ts';
import type { SigninTables } from '../signin/tables.ts';
import type { OutboxTables } from '../outbox/tables.ts';
import type { NotificationsTables } from '../notifications/tables.ts';
import type { SyncTables } from '../sync/tables.ts';
import type { WebhooksTables } from '../webhooks/tables.ts';
import type { AnalyticsTables } from '../analytics/tables.ts';

/**
 * The whole database as Kysely sees it. Each module owns the types of its own tables (`<module>/tables.ts`)
 * and this intersection joins them, so adding a feature never rewrites another feature's types.
 */
export type Database = AuthTables &
  AuditTables &
  VaultTables &
  MailboxesTables &
  StoreTables &
  CrmTables &
  LinkingTables &
  BlocklistTables &
  SigninTables &
  OutboxTables &
  NotificationsTables &
  SyncTables &
  WebhooksTables &
  AnalyticsTables;
