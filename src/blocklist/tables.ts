import type { ColumnType, Generated, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type BlockScope = 'workspace' | 'user';
export type BlockKind = 'address' | 'domain';

export interface BlocklistEntriesTable {
  id: Generated<string>;
  scope: BlockScope;
  /** Set exactly when scope = 'user'. */
  user_id: string | null;
  kind: BlockKind;
  /** Lowercased address or domain. */
  value: string;
  created_by: string | null;
  created_at: Timestamp;
}

export interface BlocklistTables {
  blocklist_entries: BlocklistEntriesTable;
}

export type BlocklistEntry = Selectable<BlocklistEntriesTable>;
