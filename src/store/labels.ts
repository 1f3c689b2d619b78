import { type RawBuilder, sql } from 'kysely';

/**
 * The search key of a label: lower case, no leading backslash (Gmail's system labels), blanks as hyphens,
 * as Gmail's own `label:` search writes them ("Big Deals" → big-deals, "\Important" → important).
 * The same rule as the database function tidings_label_keys (migrations 2026-12-07-300 and -310, which added NFKC).
 */
export function labelKey(label: string): string {
  return label.normalize('NFKC').trim().toLowerCase().replace(/^\\+/, '').replace(/\s+/g, '-');
}

/** Messages (as `m`) carrying every one of these labels (by key): one probe of messages_label_keys_idx. */
export function hasLabelsSql(labels: string[]): RawBuilder<boolean> {
  return sql<boolean>`tidings_label_keys(m.labels) @> ${labels.map(labelKey)}::text[]`;
}
