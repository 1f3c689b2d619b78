import { type RawBuilder, sql } from 'kysely';
import type { MailAccess } from '../store/visibility.ts';
import { containsPattern, type SearchTerm, tsOperand } from './query-terms.ts';

/**
 * What each reader may match on. Weights in messages.search_tsv: A subject, B from/to/cc, C bcc, D body.
 * A subject-only reader's terms carry `:AB`, a metadata-only reader's `:B`: the index itself refuses to
 * find a body word for them, so a result can never reveal what a body they may not read contains.
 */
export const WEIGHTS: Record<MailAccess, string> = { full: '', subject: 'AB', metadata: 'B' };
/** ts_rank weights {D, C, B, A}: zero for the parts a reader may not match on, so they cannot sway the order either. */
export const RANK_WEIGHTS: Record<MailAccess, string> = { full: '{0.1,0.2,0.4,1.0}', subject: '{0,0,0.4,1.0}', metadata: '{0,0,0.4,0}' };

const bigrams = (t: string) => {
  const chars = [...t];
  return [...new Set(chars.slice(0, -1).map((c, i) => c + chars[i + 1]))];
};
const names = sql`(m."from" || m."to" || m.cc)::text`;

/** The text match of every term for one access level, or null when a term cannot match at that level. */
export function textCondition(terms: SearchTerm[], access: MailAccess): RawBuilder<boolean> {
  const weights = WEIGHTS[access];
  const operands: string[] = [];
  const parts: RawBuilder<boolean>[] = [];
  for (const t of terms) {
    const p = containsPattern(t.text);
    if (t.kind === 'word') operands.push(tsOperand(t.text, { prefix: true, weights }));
    else if (t.kind === 'cjk2') operands.push(tsOperand(t.text, { prefix: false, weights }));
    else if (t.kind === 'cjk3') {
      // Names (B) are found through their bigrams; subject and body through trigrams.
      const viaNames = sql`m.search_tsv @@ to_tsquery('simple', ${bigrams(t.text).map((b) => tsOperand(b, { prefix: false, weights: 'B' })).join(' & ')})`;
      if (access === 'full') parts.push(sql<boolean>`(m.subject ilike ${p} or m.text_body ilike ${p} or ${viaNames})`);
      else if (access === 'subject') parts.push(sql<boolean>`(m.subject ilike ${p} or ${viaNames})`);
      else parts.push(sql<boolean>`${viaNames}`);
    } else {
      // One CJK character: no gram index can help; the caller bounds the rows this runs on.
      if (access === 'full') parts.push(sql<boolean>`(m.subject ilike ${p} or m.text_body ilike ${p} or ${names} ilike ${p})`);
      else if (access === 'subject') parts.push(sql<boolean>`(m.subject ilike ${p} or ${names} ilike ${p})`);
      else parts.push(sql<boolean>`${names} ilike ${p}`);
    }
  }
  if (operands.length) parts.unshift(sql<boolean>`m.search_tsv @@ to_tsquery('simple', ${operands.join(' & ')})`);
  return parts.length ? sql<boolean>`(${sql.join(parts, sql` and `)})` : sql<boolean>`false`;
}

/** One tsquery with every word and bigram term OR'ed, unweighted: for ts_rank (weights come from RANK_WEIGHTS). */
export function rankQuery(terms: SearchTerm[]): string | null {
  const ops = terms.filter((t) => t.kind === 'word' || t.kind === 'cjk2').map((t) => tsOperand(t.text, { prefix: t.kind === 'word', weights: '' }));
  return ops.length ? ops.join(' | ') : null;
}

/** Attachment names (full readers only): every term in one file name. */
export function attachmentCondition(terms: SearchTerm[]): RawBuilder<boolean> {
  const likes = terms.map((t) => sql`a.filename ilike ${containsPattern(t.text)}`);
  return sql<boolean>`m.id in (select a.message_id from attachments a where ${sql.join(likes, sql` and `)})`;
}
